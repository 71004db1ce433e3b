package io.credpipe.evaluator;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.evaluator.rule.AssessmentEvaluator;
import io.credpipe.evaluator.rule.LevelPolicies;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the evaluator.
 *
 * @param kafka the Kafka cluster and the settings every client of it takes
 * @param applicationId the Kafka Streams application id (consumer group, state and internal-topic
 *     prefix); {@link EvaluatorService#DEFAULT_APPLICATION_ID} in the app
 * @param stateDir where the RocksDB state stores live
 * @param clock the wall clock, for future timestamps and {@code rejectedAt}
 * @param maxClockSkew how far ahead of {@code clock} an {@code occurredAt} may be
 * @param policies the policy of each framework
 * @param streamsOverrides further Kafka Streams properties, applied last
 */
public record EvaluatorConfig(
        KafkaClientSettings kafka,
        String applicationId,
        Path stateDir,
        Clock clock,
        Duration maxClockSkew,
        LevelPolicies policies,
        Map<String, Object> streamsOverrides) {

    public EvaluatorConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        Objects.requireNonNull(policies, "policies");
        streamsOverrides = Map.copyOf(streamsOverrides);
    }

    /** The system clock, a five-minute skew, {@code LevelPolicy.DEFAULT} for every framework. */
    public EvaluatorConfig(KafkaClientSettings kafka, String applicationId, Path stateDir) {
        this(kafka, applicationId, stateDir, Clock.systemUTC(), AssessmentEvaluator.DEFAULT_MAX_CLOCK_SKEW,
                LevelPolicies.defaults(), Map.of());
    }

    /** Plain connections to {@code bootstrapServers}; otherwise as {@link #EvaluatorConfig(KafkaClientSettings, String, Path)}. */
    public EvaluatorConfig(String bootstrapServers, String applicationId, Path stateDir) {
        this(KafkaClientSettings.plaintext(bootstrapServers), applicationId, stateDir);
    }

    /** The Kafka bootstrap servers. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** This configuration with another clock. */
    public EvaluatorConfig withClock(Clock newClock) {
        return new EvaluatorConfig(kafka, applicationId, stateDir, newClock, maxClockSkew, policies, streamsOverrides);
    }

    /** This configuration with another maximum clock skew. */
    public EvaluatorConfig withMaxClockSkew(Duration skew) {
        return new EvaluatorConfig(kafka, applicationId, stateDir, clock, skew, policies, streamsOverrides);
    }

    /** This configuration with other policies. */
    public EvaluatorConfig withPolicies(LevelPolicies newPolicies) {
        return new EvaluatorConfig(kafka, applicationId, stateDir, clock, maxClockSkew, newPolicies, streamsOverrides);
    }

    /** This configuration with further Kafka Streams properties. */
    public EvaluatorConfig withStreamsOverrides(Map<String, Object> overrides) {
        return new EvaluatorConfig(kafka, applicationId, stateDir, clock, maxClockSkew, policies, overrides);
    }
}
