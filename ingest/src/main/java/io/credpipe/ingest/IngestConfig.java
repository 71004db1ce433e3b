package io.credpipe.ingest;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.model.auth.Authenticator;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the ingest service reaches Kafka, who may call it, and how much it takes at once.
 *
 * @param kafka            the Kafka cluster and the settings every client of it takes
 * @param ackTimeout       how long a request waits for the broker to acknowledge its records before
 *                         the service answers 503; also the longest a send may block waiting for
 *                         cluster metadata
 * @param authenticator    who holds an API key, e.g. an {@link io.credpipe.ingest.auth.ApiKeyStore}
 * @param limits           request size and rate limits
 * @param stages           the consumer groups (Kafka Streams application ids) of the stages after
 *                         ingest, whose committed positions say when a batch is processed
 */
public record IngestConfig(KafkaClientSettings kafka, Duration ackTimeout, Authenticator authenticator, Limits limits, Stages stages) {

    /**
     * Creates a configuration.
     *
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code ackTimeout} is not positive
     */
    public IngestConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(stages, "stages");
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("ack timeout must be positive: " + ackTimeout);
        }
    }

    /** A configuration with the stages under their default application ids. */
    public IngestConfig(KafkaClientSettings kafka, Duration ackTimeout, Authenticator authenticator, Limits limits) {
        this(kafka, ackTimeout, authenticator, limits, Stages.DEFAULTS);
    }

    /** A configuration with plain connections to {@code bootstrapServers}, the stages under their default application ids. */
    public IngestConfig(String bootstrapServers, Duration ackTimeout, Authenticator authenticator, Limits limits) {
        this(KafkaClientSettings.plaintext(bootstrapServers), ackTimeout, authenticator, limits, Stages.DEFAULTS);
    }

    /** The Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * This configuration with other stage groups.
     *
     * @param newStages the stages' consumer groups
     * @return the configuration
     */
    public IngestConfig withStages(Stages newStages) {
        return new IngestConfig(kafka, ackTimeout, authenticator, limits, newStages);
    }

    /**
     * The consumer groups of the stages after ingest: the evaluator reads {@code assessments}, the
     * issuer {@code achievements}.
     *
     * @param evaluator the evaluator's Kafka Streams application id
     * @param issuer    the issuer's Kafka Streams application id
     */
    public record Stages(String evaluator, String issuer) {

        /** The application ids {@code credpipe run} and the split services use by default. */
        public static final Stages DEFAULTS = new Stages("credpipe-evaluator", "credpipe-issuer");

        /** Creates the stages. */
        public Stages {
            Objects.requireNonNull(evaluator, "evaluator");
            Objects.requireNonNull(issuer, "issuer");
        }
    }

    /**
     * A configuration with the default limits that knows no API key: every protected route answers
     * 401 until an authenticator is given. Closed by default rather than open.
     */
    public IngestConfig(String bootstrapServers, Duration ackTimeout) {
        this(KafkaClientSettings.plaintext(bootstrapServers), ackTimeout, apiKey -> Optional.empty(), Limits.DEFAULTS);
    }

    /**
     * How much one request and one source may send.
     *
     * @param maxBodyBytes             the largest request body; larger is answered 413
     * @param maxLinesPerBatch         the most lines (events or CSV rows) in one request; more is 413
     * @param eventsPerSecondPerSource the sustained rate a source may send; faster is answered 429
     * @param burstPerSource           how many events a source may send at once after being idle;
     *                                 at least {@code maxLinesPerBatch}, so a full batch can pass
     */
    public record Limits(long maxBodyBytes, int maxLinesPerBatch, double eventsPerSecondPerSource, int burstPerSource) {

        /** 10 MiB bodies (the app server's own cap), 10,000 lines, 20,000 events/s with a burst of 40,000. */
        public static final Limits DEFAULTS = new Limits(10L * 1024 * 1024, 10_000, 20_000, 40_000);

        /**
         * Creates limits.
         *
         * @throws IllegalArgumentException if a limit is not positive or the burst is below a batch
         */
        public Limits {
            if (maxBodyBytes < 1 || maxLinesPerBatch < 1 || eventsPerSecondPerSource <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
            if (burstPerSource < maxLinesPerBatch) {
                throw new IllegalArgumentException("the burst must allow one full batch: " + burstPerSource + " < " + maxLinesPerBatch);
            }
        }
    }
}
