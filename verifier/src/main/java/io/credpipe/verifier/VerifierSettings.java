package io.credpipe.verifier;

import io.credpipe.verifier.jws.KeySource;
import io.credpipe.verifier.status.StatusListSource;
import java.time.Clock;
import java.time.Duration;

/**
 * What a {@link CredentialVerifier} was built with, as one {@link Verification} reads it.
 *
 * @param keys        where the trusted keys come from
 * @param clock       the clock validity periods are checked against
 * @param clockSkew   how far the issuer's clock may differ from ours
 * @param checkStatus whether status lists are read
 * @param statusLists where status lists come from
 */
record VerifierSettings(KeySource keys, Clock clock, Duration clockSkew, boolean checkStatus,
        StatusListSource statusLists) {}
