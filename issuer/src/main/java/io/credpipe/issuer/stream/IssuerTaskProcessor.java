package io.credpipe.issuer.stream;

import static io.credpipe.issuer.stream.IssuerTopology.ACHIEVEMENT_RECORDS_STORE;
import static io.credpipe.issuer.stream.IssuerTopology.AWAITING_FRAMEWORK_STORE;
import static io.credpipe.issuer.stream.IssuerTopology.FRAMEWORKS_STORE;
import static io.credpipe.issuer.stream.IssuerTopology.ISSUED_STORE;
import static io.credpipe.issuer.stream.IssuerTopology.STATUS_ALLOCATIONS_STORE;
import static io.credpipe.issuer.stream.IssuerTopology.STATUS_LISTS_STORE;

import io.credpipe.issuer.delivery.DeliveryEvents;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.status.IssuedEntry;
import io.credpipe.issuer.status.PartitionStatusLists;
import io.credpipe.issuer.status.StatusListStore;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.issuer.status.StatusRules;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusAction;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.framework.Framework;
import io.credpipe.topics.topic.Topics;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both processors of an issuer task share: the task's stores, its status lists over them, and
 * the steps of issuing, changing a status and writing a delivery event. The rules themselves are
 * plain classes ({@link StatusRules}, {@link DeliveryEvents}, {@link PartitionStatusLists},
 * {@link CredentialIssuer}); this class applies them to the stores and forwards what they produce.
 *
 * @param <V> the value type of the topic the processor reads
 */
abstract class IssuerTaskProcessor<V> implements Processor<String, V, String, IssuerOutput> {

    /**
     * What every task of one topology shares.
     *
     * @param issuer      signs credentials
     * @param statusLists the status entries credentials carry
     * @param randomness  a new source of random status indexes for each task
     * @param metrics     the topology's counters
     * @param frameworks  frameworks parsed once per version
     */
    record Shared(CredentialIssuer issuer, StatusLists statusLists, Supplier<RandomGenerator> randomness, IssuerMetrics metrics,
            ParsedFrameworks frameworks) {

        Shared {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(statusLists, "statusLists");
            Objects.requireNonNull(randomness, "randomness");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(frameworks, "frameworks");
        }
    }

    static final Deserializer<LevelDecision> ACHIEVEMENT_READER = Topics.ACHIEVEMENTS.valueSerde().deserializer();
    static final Serializer<LevelDecision> ACHIEVEMENT_WRITER = Topics.ACHIEVEMENTS.valueSerde().serializer();
    private static final Logger LOG = LoggerFactory.getLogger(IssuerTaskProcessor.class);

    final CredentialIssuer issuer;
    final IssuerMetrics metrics;
    private final StatusLists statusLists;
    private final Supplier<RandomGenerator> randomness;
    private final ParsedFrameworks parsedFrameworks;

    ProcessorContext<String, IssuerOutput> context;
    KeyValueStore<String, IssuedEntry> issued;
    KeyValueStore<String, byte[]> achievementRecords;
    KeyValueStore<String, LevelDecision> awaiting;
    PartitionStatusLists partitionLists;
    private KeyValueStore<String, ValueAndTimestamp<byte[]>> frameworkRecords;

    IssuerTaskProcessor(Shared shared) {
        this.issuer = shared.issuer();
        this.metrics = shared.metrics();
        this.statusLists = shared.statusLists();
        this.randomness = shared.randomness();
        this.parsedFrameworks = shared.frameworks();
    }

    @Override
    public void init(ProcessorContext<String, IssuerOutput> context) {
        this.context = context;
        this.issued = context.getStateStore(ISSUED_STORE);
        this.achievementRecords = context.getStateStore(ACHIEVEMENT_RECORDS_STORE);
        this.awaiting = context.getStateStore(AWAITING_FRAMEWORK_STORE);
        this.frameworkRecords = context.getStateStore(FRAMEWORKS_STORE);
        KeyValueStore<String, StatusListState> lists = context.getStateStore(STATUS_LISTS_STORE);
        KeyValueStore<String, byte[]> allocations = context.getStateStore(STATUS_ALLOCATIONS_STORE);
        // Kafka Streams initialises the same processor again when it revives a task whose stores it
        // restored: a new PartitionStatusLists forgets what may belong to an aborted transaction.
        this.partitionLists = new PartitionStatusLists(context.taskId().partition(), new StatusListStore() {
            @Override
            public StatusListState list(String listId) {
                return lists.get(listId);
            }

            @Override
            public void putList(StatusListState list) {
                lists.put(list.listId(), list);
            }

            @Override
            public byte[] allocation(String listId) {
                return allocations.get(listId);
            }

            @Override
            public void putAllocation(String listId, byte[] allocation) {
                allocations.put(listId, allocation);
            }
        }, randomness.get(), issuer.clock());
    }

    /** Takes a status index for a new credential, publishing the list it opens, if any. */
    StatusLists.Position allocate(long timestamp) {
        PartitionStatusLists.Allocation allocation = partitionLists.allocate();
        allocation.created().ifPresent(created ->
                context.forward(new Record<>(created.listId(), IssuerOutput.of(created), timestamp)));
        return allocation.position();
    }

    /**
     * Applies {@code action} to credential {@code credentialId}: on a two-bit {@code message} list
     * as before, else by {@link StatusRules}; a reinstatement issues the achievement afresh.
     */
    void apply(String credentialId, IssuedEntry entry, StatusAction action, long timestamp, String why) {
        if (partitionLists.isMessageList(entry.listId())) {
            Optional<StatusListState> changed = partitionLists.change(credentialId, entry.position(), action, why);
            publish(changed, timestamp);
            if (changed.isPresent()) {
                deliver(DeliveryEvents.changed(credentialId, entry, action, why, issuer.clock().instant()), timestamp);
            }
            return;
        }
        StatusRules.Change change = action == null
                ? StatusRules.levelLost(entry, why)
                : StatusRules.command(entry, action, why);
        if (change instanceof StatusRules.Revoke revoke) {
            issued.put(credentialId, revoke.entry());
            publish(partitionLists.revoke(credentialId, entry.position(), why), timestamp);
            deliver(DeliveryEvents.revoked(credentialId, entry, revoke.entry().suspended(), why,
                    issuer.clock().instant()), timestamp);
        } else if (change instanceof StatusRules.Record record) {
            issued.put(credentialId, record.entry());
            // Suspended before, revoked for good now: the holder's status in words changes.
            deliver(DeliveryEvents.revoked(credentialId, entry, false, why, issuer.clock().instant()), timestamp);
            LOG.info("credential {} stays revoked, now for good: {}", credentialId, why);
        } else if (change instanceof StatusRules.Reissue reissue) {
            reinstate(credentialId, entry, reissue.reissue(), timestamp, why);
        } else if (change instanceof StatusRules.None none) {
            LOG.info("{} of credential {} changes nothing ({}); {}", action == null ? "losing the level" : action.id(),
                    credentialId, none.why(), why);
        }
    }

    private void publish(Optional<StatusListState> changed, long timestamp) {
        changed.ifPresent(list -> {
            context.forward(new Record<>(list.listId(), IssuerOutput.of(list), timestamp));
            metrics.statusChanged();
        });
    }

    /** Writes {@code event} to {@code deliveries}, keyed by its operator. */
    void deliver(DeliveryEvent event, long timestamp) {
        context.forward(new Record<>(event.operatorId(), IssuerOutput.of(event), timestamp));
    }

    /** Issues the suspended credential's achievement afresh, as reissue {@code reissue}. */
    private void reinstate(String credentialId, IssuedEntry entry, int reissue, long timestamp, String why) {
        byte[] record = achievementRecords.get(credentialId);
        LevelAchieved achievement = record != null
                ? (LevelAchieved) ACHIEVEMENT_READER.deserialize(Topics.ACHIEVEMENTS.name(), record)
                : entry.achievement();
        if (achievement == null) {
            LOG.error("cannot reinstate credential {}: its achievement's record is missing from this task", credentialId);
            return;
        }
        if (record == null) {
            record = ACHIEVEMENT_WRITER.serialize(Topics.ACHIEVEMENTS.name(), achievement);
        }
        Framework framework = framework(achievement);
        if (framework == null) {
            LOG.error("cannot reinstate credential {}: framework {} is missing from this issuer", credentialId,
                    achievement.framework());
            return;
        }
        IssuedCredential credential = issue(achievement, record, framework, reissue, timestamp);
        if (entry.supersededBy() != null) {
            // The reissue of a credential a renewal superseded is superseded too.
            issued.put(credential.credentialId(), issued.get(credential.credentialId()).supersededBy(entry.supersededBy()));
        }
        issued.put(credentialId, entry.reissuedAs(credential.credentialId()));
        deliver(DeliveryEvents.reinstated(credential, credentialId), timestamp);
        metrics.statusChanged();
        LOG.info("credential {} reinstated as credential {} ({})", credentialId, credential.credentialId(), why);
    }

    /**
     * Signs reissue {@code reissue} of {@code achievement}'s credential with a new status entry;
     * {@code record} is the achievement's {@code achievements} record, kept for a reinstatement.
     */
    IssuedCredential issue(LevelAchieved achievement, byte[] record, Framework framework, int reissue, long timestamp) {
        StatusLists.Position position = allocate(timestamp);
        IssuedCredential credential = issuer.issue(achievement, framework,
                statusLists.entry(position.listId(), position.index()), reissue);
        issued.put(credential.credentialId(), IssuedEntry.issued(achievement, position, reissue));
        achievementRecords.put(credential.credentialId(), record);
        context.forward(new Record<>(credential.credentialId(), IssuerOutput.of(credential), timestamp));
        if (reissue == 0) {
            deliver(DeliveryEvents.issued(credential), timestamp);
        }
        metrics.issued();
        return credential;
    }

    /** The achievement's framework as the global store holds it now; null when this issuer has not received it. */
    Framework framework(LevelAchieved achievement) {
        String id = achievement.framework().toString();
        ValueAndTimestamp<byte[]> stored = frameworkRecords.get(id);
        return stored == null || stored.value() == null ? null : parsedFrameworks.of(id, stored.value());
    }
}
