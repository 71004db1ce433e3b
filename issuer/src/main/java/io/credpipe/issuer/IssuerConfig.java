package io.credpipe.issuer;

import io.credpipe.model.framework.PublicUrls;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run the issuer.
 *
 * @param bootstrapServers the Kafka cluster
 * @param applicationId the Kafka Streams application id; {@code null} for {@value #DEFAULT_APPLICATION_ID}
 * @param stateDir where Kafka Streams keeps its state stores
 * @param dataDir where the issuer keeps its keys ({@code <dataDir>/keys})
 * @param urls the public URLs credentials point at
 * @param issuerName the issuing organisation's name, shown in every credential
 */
public record IssuerConfig(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        Path dataDir,
        PublicUrls urls,
        String issuerName) {

    /** The application id when none is given. */
    public static final String DEFAULT_APPLICATION_ID = "credpipe-issuer";

    public IssuerConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        applicationId = applicationId == null ? DEFAULT_APPLICATION_ID : applicationId;
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(urls, "urls");
        Objects.requireNonNull(issuerName, "issuerName");
    }

    /** A configuration with the default application id. */
    public static IssuerConfig of(String bootstrapServers, Path stateDir, Path dataDir, PublicUrls urls, String issuerName) {
        return new IssuerConfig(bootstrapServers, DEFAULT_APPLICATION_ID, stateDir, dataDir, urls, issuerName);
    }

    /** The key directory, {@code <dataDir>/keys}. */
    public Path keysDir() {
        return dataDir.resolve("keys");
    }
}
