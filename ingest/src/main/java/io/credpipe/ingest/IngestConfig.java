package io.credpipe.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * How the ingest service reaches Kafka.
 *
 * @param bootstrapServers the Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
 * @param ackTimeout       how long a request waits for the broker to acknowledge its record before
 *                         the service answers 503; also the longest a send may block waiting for
 *                         cluster metadata
 */
public record IngestConfig(String bootstrapServers, Duration ackTimeout) {

    /**
     * Creates a configuration.
     *
     * @param bootstrapServers the Kafka bootstrap servers
     * @param ackTimeout       how long to wait for an acknowledgement
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code bootstrapServers} is blank or {@code ackTimeout}
     *                                  is not positive
     */
    public IngestConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be blank");
        }
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("ack timeout must be positive: " + ackTimeout);
        }
    }
}
