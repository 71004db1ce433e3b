package io.credpipe.topics.topic;

import io.credpipe.model.credential.CredentialStatusCommand;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.delivery.OperatorLink;
import io.credpipe.model.delivery.OfferEvent;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.DeadLetter;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.framework.Framework;
import io.credpipe.topics.serde.FrameworkSerde;
import io.credpipe.topics.serde.JsonSerde;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalogue of DESIGN.md: the only place topic names, serdes and settings are written.
 * The app creates every topic in {@link #ALL} at start.
 */
public final class Topics {

    private static final Map<String, String> COMPACTED = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    /** Kept forever: the topic is the system of record, not a buffer. */
    private static final Map<String, String> KEPT_FOREVER = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, "-1",
            TopicConfig.RETENTION_BYTES_CONFIG, "-1");
    /** Long enough for people to notice and resend what was rejected. */
    private static final Map<String, String> KEPT_90_DAYS = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, String.valueOf(90L * 24 * 3600 * 1000));

    /** Frameworks in the LER export format, keyed by framework id; the latest per id is current. */
    public static final Topic<String, Framework> FRAMEWORKS =
            new Topic<>("frameworks", Serdes.String(), new FrameworkSerde(), COMPACTED);

    /** Assessment events keyed by operator id: the audit log of everything HR systems said. */
    public static final Topic<String, AssessmentEvent> ASSESSMENTS =
            new Topic<>("assessments", Serdes.String(), new JsonSerde<>(AssessmentEvent.class), KEPT_FOREVER);

    /** Events that could not be accepted, with the original record and a reason, keyed by event id. */
    public static final Topic<String, Rejection> ASSESSMENTS_REJECTED =
            new Topic<>("assessments-rejected", Serdes.String(), new JsonSerde<>(Rejection.class), KEPT_90_DAYS);

    /**
     * Assessment records the evaluator could not process (a defect, not a refusal), with the original
     * and the reason, keyed by operator id like {@link #ASSESSMENTS}. Kept forever: each one is a gap in
     * an operator's history until someone fixes the cause and re-sends it.
     */
    public static final Topic<String, DeadLetter> ASSESSMENTS_DEAD_LETTER =
            new Topic<>("assessments-dead-letter", Serdes.String(), new JsonSerde<>(DeadLetter.class), KEPT_FOREVER);

    /** Level transitions ({@code LevelAchieved} / {@code LevelLost}) keyed by operator id. */
    public static final Topic<String, LevelDecision> ACHIEVEMENTS =
            new Topic<>("achievements", Serdes.String(), new JsonSerde<>(LevelDecision.class), KEPT_FOREVER);

    /**
     * Manual status changes (revoke, suspend, reinstate) keyed by operator id, so that the issuer task
     * owning the operator's credentials applies each exactly once. Must have as many partitions as
     * {@link #ACHIEVEMENTS}: both feed that task. Kept 30 days as the audit trail of manual changes.
     */
    public static final Topic<String, CredentialStatusCommand> CREDENTIAL_COMMANDS =
            new Topic<>("credential-commands", Serdes.String(), new JsonSerde<>(CredentialStatusCommand.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000)));

    /**
     * Signed credentials keyed by credential id, stored zstd-compressed by the broker. A record is
     * ~20 KB, and credentials of one level share nearly all their bytes (contexts, achievement,
     * rubric; their JWTs start at the same base64 alignment): a 1 MB batch compresses ~15x. The broker
     * compresses rather than the issuer's producer because a producer compresses on the thread that
     * sends, which for the issuer is the stream thread that signs: ~25 us per credential there, on
     * the thread that bounds the issuer's throughput, against idle broker threads.
     */
    public static final Topic<String, IssuedCredential> CREDENTIALS =
            new Topic<>("credentials", Serdes.String(), new JsonSerde<>(IssuedCredential.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd"));

    /** Current bitstring status lists keyed by status list id. */
    public static final Topic<String, StatusListState> CREDENTIAL_STATUS =
            new Topic<>("credential-status", Serdes.String(), new JsonSerde<>(StatusListState.class), COMPACTED);

    /**
     * What happened between credpipe and each operator (issued, revoked, suspended, expiring,
     * offered, redeemed...), keyed by operator id, for HR systems and notifiers. Kept 90 days: a
     * consumer that was down for a quarter re-reads the credentials topic instead.
     */
    public static final Topic<String, DeliveryEvent> DELIVERIES =
            new Topic<>("deliveries", Serdes.String(), new JsonSerde<>(DeliveryEvent.class), KEPT_90_DAYS);

    /**
     * Operators' private page links keyed by the SHA-256 of their token (never the token), followed
     * from the start by every issuer instance so that a link works on any of them. A revoked link is
     * a tombstone; an expired one stays until it is revoked, and refuses to open the page.
     */
    public static final Topic<String, OperatorLink> OPERATOR_LINKS =
            new Topic<>("operator-links", Serdes.String(), new JsonSerde<>(OperatorLink.class), COMPACTED);

    /**
     * Wallet offers and the claims to redeem them, keyed by the hash of the code: OpenID4VCI
     * pre-authorized codes, and Learner Credential Wallet exchanges (VC-API; keyed by a hash of the
     * exchange id). One partition, because the log's order is the arbiter: every issuer instance
     * reads it whole, and the first claim on a code in the log wins, on every instance and after any
     * restart. Deleted, never compacted: compaction keeps the last record of a key, which would
     * forget the winning claim. Seven days outlast any offer (at most a day) many times over.
     */
    public static final Topic<String, OfferEvent> WALLET_OFFERS =
            new Topic<>("wallet-offers", Serdes.String(), new JsonSerde<>(OfferEvent.class), Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000)), Optional.of(1));

    /** Every topic of the pipeline, in data-flow order. */
    public static final List<Topic<?, ?>> ALL =
            List.of(FRAMEWORKS, ASSESSMENTS, ASSESSMENTS_REJECTED, ASSESSMENTS_DEAD_LETTER, ACHIEVEMENTS, CREDENTIAL_COMMANDS, CREDENTIALS, CREDENTIAL_STATUS,
                    DELIVERIES, OPERATOR_LINKS, WALLET_OFFERS);

    private Topics() {}
}
