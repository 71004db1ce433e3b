package io.credpipe.model.credential;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.json.CompactJwsSerializer;
import java.time.Instant;
import java.util.Objects;

/**
 * A signed credential and what it was issued for: the value of the compacted {@code credentials}
 * topic, keyed by credential id.
 *
 * @param credentialId the deterministic id derived from (operator, framework, level, sequence)
 * @param operatorId the credential's holder
 * @param framework the framework version
 * @param level the level achieved
 * @param sequence the achievement's number for this (operator, framework, level)
 * @param jwt the credential as a compact JWS (OB 3.0 JWT proof format)
 * @param issuedAt when it was signed
 * @param validUntil when it expires; {@code null} for never
 * @param keyId the {@code kid} of the signing key
 */
public record IssuedCredential(
        String credentialId,
        String operatorId,
        FrameworkId framework,
        Level level,
        int sequence,
        @JsonSerialize(using = CompactJwsSerializer.class) String jwt,
        Instant issuedAt,
        Instant validUntil,
        String keyId) {

    public IssuedCredential {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }
}
