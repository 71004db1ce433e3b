package io.credpipe.issuer.stream;

import static io.credpipe.issuer.stream.IssuerTopology.EXPIRY_SCAN_INTERVAL;
import static io.credpipe.issuer.stream.IssuerTopology.RETRY_INTERVAL;

import io.credpipe.issuer.delivery.DeliveryEvents;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.status.IssuedEntry;
import io.credpipe.model.credential.CredentialId;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.framework.Framework;
import io.credpipe.topics.topic.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues and revokes credentials for one task's partition of {@code achievements}, retries the
 * achievements set aside for their framework, and announces coming expiries.
 */
final class AchievementProcessor extends IssuerTaskProcessor<byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(AchievementProcessor.class);

    AchievementProcessor(Shared shared) {
        super(shared);
    }

    @Override
    public void init(ProcessorContext<String, IssuerOutput> context) {
        super.init(context);
        context.schedule(RETRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> retryAwaiting());
        context.schedule(EXPIRY_SCAN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> announceExpiries());
    }

    /** Announces, once each, the task's current credentials that lapse within the notice period. */
    private void announceExpiries() {
        Instant now = issuer.clock().instant();
        List<KeyValue<String, IssuedEntry>> due = new ArrayList<>();
        List<DeliveryEvent> events = new ArrayList<>();
        try (KeyValueIterator<String, IssuedEntry> all = issued.all()) {
            all.forEachRemaining(entry -> DeliveryEvents.expiring(entry.key, entry.value, now).ifPresent(event -> {
                due.add(entry);
                events.add(event);
            }));
        }
        for (int i = 0; i < due.size(); i++) {
            issued.put(due.get(i).key, due.get(i).value.withExpiryNoticed());
            deliver(events.get(i), context.currentSystemTimeMs());
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        LevelDecision decision = ACHIEVEMENT_READER.deserialize(Topics.ACHIEVEMENTS.name(), record.value());
        if (decision instanceof LevelAchieved achievement) {
            achieve(achievement, record.value(), record.timestamp());
        } else if (decision instanceof LevelLost lost) {
            lose(lost, record.timestamp());
        } else {
            LOG.warn("achievements record with key {} at offset {} has no value; nothing to issue",
                    record.key(), context.recordMetadata().map(m -> m.offset()).orElse(-1L));
        }
    }

    private void lose(LevelLost lost, long timestamp) {
        metrics.levelLost();
        if (lost.reason() == LossReason.EXPIRED) {
            // DESIGN.md "Decision rule": expiry is not a revocation. The level was lost when the
            // earliest evidence it relied on expired, which is the credential's validUntil: it has
            // lapsed on its own, and verifiers say "expired", not "revoked".
            LOG.info("operator {} lost level {} of {} (achievement {}) by expiry; its credential lapsed at its validUntil",
                    lost.operator().id(), lost.level().id(), lost.framework(), lost.sequence());
            return;
        }
        revokeAchievement(lost, lost.sequence(), timestamp);
        // Earlier achievements a renewal superseded still hold until their own validUntil: the
        // level is lost, so they go too.
        for (int sequence = lost.sequence() - 1; sequence >= 1; sequence--) {
            String id = storedId(lost.operator().id(), lost.framework(), lost.level(), sequence);
            IssuedEntry superseded = issued.get(id);
            if (superseded != null && superseded.reissuedAs() == null && !superseded.revoked() && superseded.achievementRecorded()
                    && superseded.validUntil() != null && superseded.validUntil().isAfter(lost.lostAt())) {
                apply(id, superseded, null, timestamp, "level " + lost.level().id() + " of " + lost.framework()
                        + " lost: " + lost.reason().id() + " (achievement " + sequence + " was superseded by a renewal)");
            }
        }
    }

    private void revokeAchievement(LevelLost lost, int sequence, long timestamp) {
        // A reinstated credential was replaced by a reissue: the level lost is the reissue's.
        String credentialId = latestReissue(storedId(lost.operator().id(), lost.framework(), lost.level(), sequence));
        IssuedEntry entry = issued.get(credentialId);
        if (entry != null) {
            apply(credentialId, entry, null, timestamp, "level " + lost.level().id() + " of "
                    + lost.framework() + " lost: " + lost.reason().id());
        } else if (awaiting.get(credentialId) != null) {
            awaiting.delete(credentialId);
            LOG.info("credential {} waited for its framework and is now not issued: operator {} lost level {} of {}",
                    credentialId, lost.operator().id(), lost.level().id(), lost.framework());
        } else {
            LOG.warn("operator {} lost level {} of {} (achievement {}), but credential {} was never issued",
                    lost.operator().id(), lost.level().id(), lost.framework(), lost.sequence(), credentialId);
        }
    }

    /** Issues {@code achievement}, whose {@code achievements} record is {@code record}, unless it was issued. */
    private void achieve(LevelAchieved achievement, byte[] record, long timestamp) {
        String credentialId = issuer.credentialId(achievement).toString();
        // A data directory from before secret-derived ids knows a replayed achievement by its old id.
        if (issued.get(credentialId) != null || issued.get(CredentialIssuer.legacyCredentialId(achievement).toString()) != null) {
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
        IssuedCredential credential = issue(achievement, record, framework, 0, timestamp);
        supersede(achievement, credential.credentialId());
        if (awaiting.get(credentialId) != null) {
            awaiting.delete(credentialId);
        }
        LOG.info("issued credential {} to operator {} for level {} of {} (achievement {})",
                credentialId, achievement.operator().id(), achievement.level().id(), achievement.framework(),
                achievement.sequence());
    }

    /**
     * Marks the credential of the achievement {@code renewal} renews as superseded by credential
     * {@code renewalId}, so that its holder is not told it lapses: they hold the renewal, which lapses
     * later (the evaluator renews only when a pass extends the level's validity). It stays valid
     * until its own {@code validUntil}, as DESIGN.md's decision rule has it.
     */
    private void supersede(LevelAchieved renewal, String renewalId) {
        if (renewal.sequence() < 2) {
            return;
        }
        // A reinstated credential was replaced by its reissue: the reissue is what the holder has.
        String id = latestReissue(storedId(renewal.operator().id(), renewal.framework(), renewal.level(), renewal.sequence() - 1));
        IssuedEntry earlier = issued.get(id);
        if (earlier != null && earlier.supersededBy() == null) {
            issued.put(id, earlier.supersededBy(renewalId));
        }
    }

    /**
     * The id the credential of an achievement is stored under: its secret-derived id, or, when only
     * that is unknown and the old name-based id is known (issued or awaiting its framework before ids
     * were derived with the secret), the old one.
     */
    private String storedId(String operatorId, FrameworkId framework, Level level, int sequence) {
        String credentialId = issuer.salts().credentialId(operatorId, framework, level, sequence).toString();
        if (issued.get(credentialId) != null || awaiting.get(credentialId) != null) {
            return credentialId;
        }
        String legacyId = CredentialId.of(operatorId, framework, level, sequence).toString();
        return issued.get(legacyId) != null || awaiting.get(legacyId) != null ? legacyId : credentialId;
    }

    /** The credential that stands for {@code credentialId} now: itself, or the last reissue on reinstatement. */
    private String latestReissue(String credentialId) {
        IssuedEntry entry = issued.get(credentialId);
        while (entry != null && entry.reissuedAs() != null) {
            credentialId = entry.reissuedAs();
            entry = issued.get(credentialId);
        }
        return credentialId;
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
            achieve((LevelAchieved) entry.value,
                    ACHIEVEMENT_WRITER.serialize(Topics.ACHIEVEMENTS.name(), entry.value),
                    context.currentSystemTimeMs());
        }
    }
}
