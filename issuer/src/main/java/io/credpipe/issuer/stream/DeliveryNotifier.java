package io.credpipe.issuer.stream;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.issuer.delivery.AccessLinks;
import io.credpipe.issuer.delivery.MailTransport;
import io.credpipe.issuer.delivery.OperatorMail;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.event.Operator;
import io.credpipe.topics.topic.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * E-mails operators their page link when a credential of theirs is issued, reinstated, revoked or
 * suspended: a consumer of {@code deliveries} outside the issuer's exactly-once topology, so a slow
 * or absent mail server never holds up issuing. Each mail carries a fresh private link.
 *
 * <p>Delivery events carry no address. The address is the one the operator's HR system last sent,
 * as the evaluator's decisions on {@code achievements} carry it: this notifier reads that topic from
 * the start into a map of operator id to name and address, and before each mail reads it up to its
 * current end, so the decision behind an issue is always known by then. Addresses are never logged.
 *
 * <p>At least once: offsets are committed after the mails of a batch are sent, so a crash in between
 * sends those again. Instances of one issuer share the consumer group and split the operators. A new
 * group starts at the end of {@code deliveries} (its last stable offset): a notifier added to a running pipeline does not mail
 * everyone about their old credentials.
 */
public final class DeliveryNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryNotifier.class);
    /** Waits before sending again after the server refused or could not be reached. */
    private static final List<Duration> RETRIES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5));

    private final KafkaClientSettings kafka;
    private final String applicationId;
    private final AccessLinks links;
    private final MailTransport transport;
    private final String issuerName;
    private final Function<String, Optional<String>> frameworkTitles;
    private final Map<String, Operator> contacts = new HashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final Map<String, Object> membership;
    private KafkaConsumer<String, DeliveryEvent> deliveries;
    private KafkaConsumer<String, LevelDecision> decisions;
    private Thread thread;
    private volatile boolean assigned;
    private volatile boolean stopping;

    /**
     * @param kafka the Kafka cluster and its client settings
     * @param applicationId the issuer's application id; the notifier's group is {@code <id>-notifier}
     * @param links where each mail's link is created
     * @param transport where mails go
     * @param issuerName who issues, named in the mails
     * @param frameworkTitles a framework's title by its id, when known
     */
    public DeliveryNotifier(KafkaClientSettings kafka, String applicationId, AccessLinks links, MailTransport transport,
            String issuerName, Function<String, Optional<String>> frameworkTitles) {
        this(kafka, applicationId, Map.of(), links, transport, issuerName, frameworkTitles);
    }

    /**
     * @param kafka the Kafka cluster and its client settings
     * @param applicationId the issuer's application id; the notifier's group is {@code <id>-notifier}
     * @param membership how its consumer joins that group, e.g. {@code group.instance.id} to rejoin
     *     at once after a crash rather than after the dead member's session timeout
     * @param links where each mail's link is created
     * @param transport where mails go
     * @param issuerName who issues, named in the mails
     * @param frameworkTitles a framework's title by its id, when known
     */
    public DeliveryNotifier(KafkaClientSettings kafka, String applicationId, Map<String, Object> membership, AccessLinks links,
            MailTransport transport, String issuerName, Function<String, Optional<String>> frameworkTitles) {
        this.membership = Map.copyOf(membership);
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
        this.links = Objects.requireNonNull(links, "links");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.issuerName = Objects.requireNonNull(issuerName, "issuerName");
        this.frameworkTitles = Objects.requireNonNull(frameworkTitles, "frameworkTitles");
    }

    /** The notifier's consumer group beside the issuer application {@code applicationId}. */
    public static String groupId(String applicationId) {
        return applicationId + "-notifier";
    }

    /** Starts reading; {@link #ready()} tells when it has its partitions of {@code deliveries}. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        Properties events = kafka.properties(Map.of());
        events.putAll(membership);
        events.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(applicationId));
        events.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-notifier");
        events.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        events.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // The topology writes deliveries in transactions: only committed ones happened.
        events.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        deliveries = new KafkaConsumer<>(events, Topics.DELIVERIES.keySerde().deserializer(),
                Topics.DELIVERIES.valueSerde().deserializer());
        Properties contactReader = kafka.properties(Map.of());
        contactReader.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-notifier-contacts");
        contactReader.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        contactReader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        decisions = new KafkaConsumer<>(contactReader, Topics.ACHIEVEMENTS.keySerde().deserializer(),
                Topics.ACHIEVEMENTS.valueSerde().deserializer());
        List<TopicPartition> partitions = decisions.partitionsFor(Topics.ACHIEVEMENTS.name(), Duration.ofSeconds(30))
                .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        decisions.assign(partitions);
        decisions.seekToBeginning(partitions);
        thread = new Thread(this::run, applicationId + "-notifier");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether it has been assigned its partitions of {@code deliveries}, and so mails what is issued from now on. */
    public boolean ready() {
        return assigned;
    }

    /** How many mails it has sent since it started. */
    public long sent() {
        return sent.get();
    }

    private void run() {
        try {
            deliveries.subscribe(List.of(Topics.DELIVERIES.name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned = false;
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Fixes the starting offsets now, so that what is written after ready() is read,
                    // and commits them where the group has none yet: a partition that got its first
                    // delivery while no notifier ran (a restart) would otherwise start at its end
                    // again ("latest") and skip that mail for good.
                    Map<TopicPartition, OffsetAndMetadata> committed = deliveries.committed(new HashSet<>(partitions));
                    Map<TopicPartition, OffsetAndMetadata> first = new HashMap<>();
                    for (TopicPartition partition : partitions) {
                        long position = deliveries.position(partition);
                        if (committed.get(partition) == null) {
                            first.put(partition, new OffsetAndMetadata(position));
                        }
                    }
                    if (!first.isEmpty()) {
                        deliveries.commitSync(first);
                    }
                    assigned = true;
                }
            });
            while (!stopping) {
                ConsumerRecords<String, DeliveryEvent> batch = deliveries.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, DeliveryEvent> record : batch) {
                    if (record.value() != null && OperatorMail.mailed(record.value())) {
                        notify(record.value());
                    }
                }
                if (!batch.isEmpty()) {
                    deliveries.commitSync();
                }
            }
        } catch (WakeupException e) {
            // close() stops the loop.
        } catch (RuntimeException e) {
            LOG.error("the notifier stopped; no e-mail is sent until the issuer restarts", e);
        } finally {
            deliveries.close(Duration.ofSeconds(5));
            decisions.close(Duration.ofSeconds(5));
        }
    }

    private void notify(DeliveryEvent event) {
        readContactsToEnd();
        Operator contact = contacts.get(event.operatorId());
        if (contact == null || contact.email() == null || contact.email().isBlank()) {
            LOG.info("operator {} has no e-mail address on record; not mailed about credential {} ({})",
                    event.operatorId(), event.credentialId(), event.kind().id());
            return;
        }
        AccessLinks.Created link = links.create(event.operatorId(), "notifier", null);
        OperatorMail.Message message = OperatorMail.about(event, contact.name(), frameworkTitle(event.frameworkId()),
                link.url(), link.link().expiresAt(), issuerName).orElseThrow();
        for (int attempt = 0; ; attempt++) {
            try {
                transport.send(contact.email(), message);
                sent.incrementAndGet();
                LOG.info("mailed operator {} about credential {} ({}) with link {}", event.operatorId(),
                        event.credentialId(), event.kind().id(), link.link().tokenHash());
                return;
            } catch (IllegalStateException e) {
                if (attempt >= RETRIES.size()) {
                    LOG.warn("could not mail operator {} about credential {} ({}): {}", event.operatorId(),
                            event.credentialId(), event.kind().id(), e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(RETRIES.get(attempt).toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private String frameworkTitle(String frameworkId) {
        if (frameworkId == null) {
            return null;
        }
        try {
            return frameworkTitles.apply(frameworkId).orElse(null);
        } catch (RuntimeException e) {
            // A store that cannot answer now costs the mail its title, not the mail.
            return null;
        }
    }

    /** Reads {@code achievements} up to its end as of now, keeping each operator's latest name and address. */
    private void readContactsToEnd() {
        Map<TopicPartition, Long> end = decisions.endOffsets(decisions.assignment());
        while (end.entrySet().stream().anyMatch(e -> decisions.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, LevelDecision> record : decisions.poll(Duration.ofMillis(200))) {
                if (record.value() == null) {
                    continue;
                }
                Operator sent = record.value().operator();
                Operator known = contacts.get(sent.id());
                contacts.put(sent.id(), known == null ? sent : new Operator(sent.id(),
                        sent.name() != null ? sent.name() : known.name(),
                        sent.email() != null ? sent.email() : known.email()));
            }
        }
    }

    @Override
    public synchronized void close() {
        stopping = true;
        if (thread != null) {
            deliveries.wakeup();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
