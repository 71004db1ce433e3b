package io.credpipe.verifier;

import io.credpipe.model.integrity.EddsaRdfc2022;
import io.credpipe.verifier.credential.CredentialSchemas;
import io.credpipe.verifier.jws.DidResolver;
import io.credpipe.verifier.jws.KeySource;
import io.credpipe.verifier.status.StatusListSource;
import io.credpipe.verifier.status.VerifiedLists;
import java.time.Clock;
import java.time.Duration;

/**
 * What a {@link CredentialVerifier} was built with, as one {@link Verification} reads it.
 *
 * @param keys        where the trusted keys come from; {@code null} when only DIDs are resolved
 * @param clock       the clock validity periods are checked against
 * @param clockSkew   how far the issuer's clock may differ from ours
 * @param checkStatus whether status lists are read
 * @param statusLists where status lists come from
 * @param schemas     the bundled JSON Schemas
 * @param dids        resolves a kid that is a DID URL; {@code null} when DIDs are not resolved
 * @param verifiedLists status lists whose signatures were checked before
 * @param proofKeys   resolves the verification methods of Data Integrity proofs (always: they are DID URLs)
 * @param suite       the eddsa-rdfc-2022 cryptosuite over the bundled contexts
 */
record VerifierSettings(KeySource keys, Clock clock, Duration clockSkew, boolean checkStatus,
        StatusListSource statusLists, CredentialSchemas schemas, DidResolver dids, VerifiedLists verifiedLists,
        DidResolver proofKeys, EddsaRdfc2022 suite) {}
