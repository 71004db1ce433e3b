package io.credpipe.issuer;

import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's Kafka Streams topology, a thin adapter over {@link CredentialIssuer}:
 *
 * <pre>
 * frameworks ──▶ global store {@value #FRAMEWORKS_STORE}
 * achievements ──▶ issue ──▶ credentials (key = credential id)
 *                   │  ├─ {@value #CREDENTIALS_STORE}: every credential issued, by credential id
 *                   │  └─ {@value #AWAITING_FRAMEWORK_STORE}: achievements whose framework is unknown
 * </pre>
 *
 * <ul>
 *   <li>{@code LevelAchieved}: when its credential id is already in the credentials store nothing
 *       happens, so a replayed achievement never signs twice; otherwise the credential is issued,
 *       forwarded and stored, in one exactly-once transaction.</li>
 *   <li>{@code LevelLost}: revocation is not implemented yet; the decision is logged and counted
 *       and nothing is issued.</li>
 *   <li>An achievement whose framework this issuer has not received is neither dropped nor allowed
 *       to stop the partition: it is logged and set aside in a persistent, changelogged store, and
 *       a wall-clock punctuation retries the set-aside achievements every
 *       {@link #RETRY_INTERVAL}, issuing each as soon as its framework arrives. The evaluator only
 *       decides levels of frameworks it knows, so this covers the short window in which the
 *       issuer's global store lags behind the {@code frameworks} topic, and any framework that was
 *       deleted; the warning names the framework for operators to re-publish.</li>
 * </ul>
 *
 * <p>Achievements are keyed by operator id and credential ids derive from the operator, so every
 * achievement of one operator, and its credential id, lands on the same task and store.
 */
public final class IssuerTopology {

    /** The global store of frameworks, by framework id. */
    public static final String FRAMEWORKS_STORE = "issuer-frameworks";
    /** Every credential issued, by credential id: the replay guard and the lookup behind the HTTP API. */
    public static final String CREDENTIALS_STORE = "issuer-credentials";
    /** Achievements waiting for their framework, by credential id. */
    public static final String AWAITING_FRAMEWORK_STORE = "issuer-awaiting-framework";
    /** How often set-aside achievements are retried. */
    public static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(IssuerTopology.class);

    private final CredentialIssuer issuer;
    private final IssuerMetrics metrics = new IssuerMetrics();

    public IssuerTopology(CredentialIssuer issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    /** The topology; each call builds a new one sharing this instance's counters. */
    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable(Topics.FRAMEWORKS.name(), Topics.FRAMEWORKS.consumed(),
                Materialized.<String, Framework, KeyValueStore<Bytes, byte[]>>as(FRAMEWORKS_STORE)
                        .withKeySerde(Topics.FRAMEWORKS.keySerde())
                        .withValueSerde(Topics.FRAMEWORKS.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CREDENTIALS_STORE), Serdes.String(), Topics.CREDENTIALS.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AWAITING_FRAMEWORK_STORE), Serdes.String(),
                Topics.ACHIEVEMENTS.valueSerde()));
        builder.stream(Topics.ACHIEVEMENTS.name(), Topics.ACHIEVEMENTS.consumed())
                .process(AchievementProcessor::new, CREDENTIALS_STORE, AWAITING_FRAMEWORK_STORE)
                .to(Topics.CREDENTIALS.name(), Topics.CREDENTIALS.produced());
        return builder.build();
    }

    /** What the topology's tasks did so far. */
    public IssuerCounts counts() {
        return metrics.snapshot();
    }

    /** Issues credentials for one task's partitions of {@code achievements}. */
    private final class AchievementProcessor implements Processor<String, LevelDecision, String, IssuedCredential> {

        private ProcessorContext<String, IssuedCredential> context;
        private KeyValueStore<String, ValueAndTimestamp<Framework>> frameworks;
        private KeyValueStore<String, IssuedCredential> issued;
        private KeyValueStore<String, LevelDecision> awaiting;

        @Override
        public void init(ProcessorContext<String, IssuedCredential> context) {
            this.context = context;
            this.frameworks = context.getStateStore(FRAMEWORKS_STORE);
            this.issued = context.getStateStore(CREDENTIALS_STORE);
            this.awaiting = context.getStateStore(AWAITING_FRAMEWORK_STORE);
            context.schedule(RETRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> retryAwaiting());
        }

        @Override
        public void process(Record<String, LevelDecision> record) {
            LevelDecision decision = record.value();
            if (decision instanceof LevelAchieved achievement) {
                achieve(achievement, record.timestamp());
            } else if (decision instanceof LevelLost lost) {
                metrics.levelLost();
                LOG.info("level {} of {} lost by operator {} (achievement {}, {}): revocation is not implemented,"
                        + " so the credential stays valid", lost.level().id(), lost.framework(), lost.operator().id(),
                        lost.sequence(), lost.reason().id());
            } else {
                LOG.warn("achievements record with key {} at offset {} has no value; nothing to issue",
                        record.key(), context.recordMetadata().map(m -> m.offset()).orElse(-1L));
            }
        }

        private void achieve(LevelAchieved achievement, long timestamp) {
            String credentialId = CredentialIssuer.credentialId(achievement).toString();
            if (issued.get(credentialId) != null) {
                metrics.replayIgnored();
                LOG.debug("credential {} was already issued; replay ignored", credentialId);
                return;
            }
            Framework framework = framework(achievement);
            if (framework == null) {
                if (awaiting.get(credentialId) != null) {
                    LOG.debug("credential {} still waits for framework {}", credentialId, achievement.framework());
                    return;
                }
                awaiting.put(credentialId, achievement);
                metrics.awaitingFramework();
                LOG.warn("credential {} (operator {}, level {} of {}, achievement {}) waits for framework {}, which"
                                + " this issuer has not received; it is issued when the framework is published",
                        credentialId, achievement.operator().id(), achievement.level().id(), achievement.framework(),
                        achievement.sequence(), achievement.framework());
                return;
            }
            IssuedCredential credential = issuer.issue(achievement, framework);
            issued.put(credentialId, credential);
            if (awaiting.get(credentialId) != null) {
                awaiting.delete(credentialId);
            }
            context.forward(new Record<>(credentialId, credential, timestamp));
            metrics.issued();
            LOG.info("issued credential {} to operator {} for level {} of {} (achievement {})", credentialId,
                    achievement.operator().id(), achievement.level().id(), achievement.framework(),
                    achievement.sequence());
        }

        private Framework framework(LevelAchieved achievement) {
            ValueAndTimestamp<Framework> stored = frameworks.get(achievement.framework().toString());
            return stored == null ? null : stored.value();
        }

        private void retryAwaiting() {
            List<KeyValue<String, LevelDecision>> ready = new ArrayList<>();
            try (KeyValueIterator<String, LevelDecision> all = awaiting.all()) {
                all.forEachRemaining(entry -> {
                    if (entry.value instanceof LevelAchieved achievement && framework(achievement) != null) {
                        ready.add(entry);
                    }
                });
            }
            for (KeyValue<String, LevelDecision> entry : ready) {
                awaiting.delete(entry.key);
                achieve((LevelAchieved) entry.value, context.currentSystemTimeMs());
            }
        }
    }
}
