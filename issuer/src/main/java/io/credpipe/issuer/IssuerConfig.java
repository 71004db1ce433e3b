package io.credpipe.issuer;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.issuer.delivery.LinkValidity;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.SigningAlgorithm;

import io.credpipe.model.credential.PublicUrls;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the issuer.
 *
 * @param kafka the Kafka cluster and the settings every client of it takes
 * @param applicationId the Kafka Streams application id; {@code null} for {@value #DEFAULT_APPLICATION_ID}
 * @param stateDir where Kafka Streams keeps its state stores
 * @param dataDir where the issuer keeps its keys ({@code <dataDir>/keys})
 * @param urls the public URLs credentials point at
 * @param issuerName the issuing organisation's name, shown in every credential
 * @param signingAlgorithm the {@code alg} of credentials and status lists, which the active key
 *     must fit; {@code null} for {@link SigningAlgorithm#ES256}
 * @param jwtType their {@code typ}; {@code null} for {@link JwtType#JWT}
 * @param linkValidity how long operators' private links stay open; {@code null} for 30 days
 * @param streamsOverrides further Kafka Streams properties, applied last (e.g. client security
 *     settings, or static membership in the embedded mode)
 */
public record IssuerConfig(
        KafkaClientSettings kafka,
        String applicationId,
        Path stateDir,
        Path dataDir,
        PublicUrls urls,
        String issuerName,
        SigningAlgorithm signingAlgorithm,
        JwtType jwtType,
        LinkValidity linkValidity,
        Map<String, Object> streamsOverrides) {

    /** The application id when none is given. */
    public static final String DEFAULT_APPLICATION_ID = "credpipe-issuer";

    public IssuerConfig {
        Objects.requireNonNull(kafka, "kafka");
        applicationId = applicationId == null ? DEFAULT_APPLICATION_ID : applicationId;
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(urls, "urls");
        Objects.requireNonNull(issuerName, "issuerName");
        signingAlgorithm = signingAlgorithm == null ? SigningAlgorithm.ES256 : signingAlgorithm;
        jwtType = jwtType == null ? JwtType.JWT : jwtType;
        linkValidity = linkValidity == null ? LinkValidity.defaults() : linkValidity;
        streamsOverrides = streamsOverrides == null ? Map.of() : Map.copyOf(streamsOverrides);
    }

    /** A configuration whose links stay open 30 days, with no further Kafka Streams properties. */
    public IssuerConfig(String bootstrapServers, String applicationId, Path stateDir, Path dataDir, PublicUrls urls,
            String issuerName, SigningAlgorithm signingAlgorithm, JwtType jwtType) {
        this(KafkaClientSettings.plaintext(bootstrapServers), applicationId, stateDir, dataDir, urls, issuerName, signingAlgorithm, jwtType, null, Map.of());
    }

    /** A configuration signing ES256 with {@code typ} {@code JWT}. */
    public IssuerConfig(String bootstrapServers, String applicationId, Path stateDir, Path dataDir, PublicUrls urls,
            String issuerName) {
        this(KafkaClientSettings.plaintext(bootstrapServers), applicationId, stateDir, dataDir, urls, issuerName, null, null, null, null);
    }

    /** A configuration with the default application id, signing ES256 with {@code typ} {@code JWT}. */
    public static IssuerConfig of(String bootstrapServers, Path stateDir, Path dataDir, PublicUrls urls, String issuerName) {
        return new IssuerConfig(bootstrapServers, DEFAULT_APPLICATION_ID, stateDir, dataDir, urls, issuerName);
    }

    /** This configuration signing with {@code algorithm} and {@code type}. */
    public IssuerConfig withSigning(SigningAlgorithm algorithm, JwtType type) {
        return new IssuerConfig(kafka, applicationId, stateDir, dataDir, urls, issuerName,
                Objects.requireNonNull(algorithm, "algorithm"), Objects.requireNonNull(type, "type"), linkValidity,
                streamsOverrides);
    }

    /** This configuration with operators' links open for {@code validity} by default. */
    public IssuerConfig withLinkValidity(LinkValidity validity) {
        return new IssuerConfig(kafka, applicationId, stateDir, dataDir, urls, issuerName, signingAlgorithm,
                jwtType, Objects.requireNonNull(validity, "validity"), streamsOverrides);
    }

    /** This configuration with further Kafka Streams properties. */
    public IssuerConfig withStreamsOverrides(Map<String, Object> overrides) {
        return new IssuerConfig(kafka, applicationId, stateDir, dataDir, urls, issuerName, signingAlgorithm, jwtType,
                linkValidity, overrides);
    }

    /** The Kafka bootstrap servers. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The key directory, {@code <dataDir>/keys}. */
    public Path keysDir() {
        return keysDir(dataDir);
    }

    /** The key directory of an issuer whose data directory is {@code dataDir}: {@code <dataDir>/keys}. */
    public static Path keysDir(Path dataDir) {
        return dataDir.resolve("keys");
    }
}
