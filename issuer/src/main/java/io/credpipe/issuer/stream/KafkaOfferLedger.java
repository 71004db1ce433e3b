package io.credpipe.issuer.stream;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.issuer.delivery.OfferLedger;
import io.credpipe.model.delivery.OfferEvent;
import io.credpipe.topics.client.PartitionReadiness;
import io.credpipe.topics.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code wallet-offers} log ({@link Topics#WALLET_OFFERS}, one partition) as this instance sees
 * it: a thread reads it from the beginning, with no consumer group, into a map by code hash, so every
 * instance holds every offer and every claim, in log order, after any restart.
 *
 * <p>A claim is judged only once this instance has read the log up to the claim's own offset, so
 * every claim before it, from any instance, is known: the judgement ({@code RedemptionRule}) is the
 * same on every instance. A look-up first reads up to the log's end offset at the time of the call,
 * so an offer another instance made a moment ago is found.
 */
public final class KafkaOfferLedger implements OfferLedger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOfferLedger.class);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.WALLET_OFFERS.name(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Entries of offers that expired this long ago are forgotten: nothing can redeem them. */
    private static final Duration KEEP_EXPIRED = Duration.ofHours(1);

    private record Entries(OfferEvent offer, List<OfferEvent> claims) {}

    private final KafkaProducer<String, OfferEvent> producer;
    private final KafkaConsumer<String, OfferEvent> consumer;
    private final Admin admin;
    private final Thread reader;
    private final Map<String, Entries> byCode = new HashMap<>();
    /** Claims by claim id with their offsets, so a claimant can cut the history at its own. */
    private final Map<String, Long> claimOffsets = new HashMap<>();
    /** The offset of the next record to read: every record before it is in the maps. */
    private long position;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    /** Starts reading {@code wallet-offers} on the cluster of {@code kafka}, creating the topic when missing. */
    public KafkaOfferLedger(KafkaClientSettings kafka, String clientId) {
        Properties adminProperties = kafka.properties(Map.of());
        this.admin = Admin.create(adminProperties);
        ensureTopic();
        Properties producerProperties = kafka.properties(Map.of());
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerProperties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-wallet-offers");
        this.producer = new KafkaProducer<>(producerProperties, Topics.WALLET_OFFERS.keySerde().serializer(),
                Topics.WALLET_OFFERS.valueSerde().serializer());
        Properties consumerProperties = kafka.properties(Map.of());
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only committed records: a claim in an aborted transaction never happened.
        consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProperties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-wallet-offers-reader");
        this.consumer = new KafkaConsumer<>(consumerProperties, Topics.WALLET_OFFERS.keySerde().deserializer(),
                Topics.WALLET_OFFERS.valueSerde().deserializer());
        consumer.assign(List.of(PARTITION));
        consumer.seekToBeginning(List.of(PARTITION));
        this.reader = new Thread(this::read, clientId + "-wallet-offers-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void offer(OfferEvent offered) {
        awaitRead(write(offered));
    }

    @Override
    public Optional<OfferEvent> offered(String codeHash) {
        awaitRead(endOffset() - 1);
        synchronized (this) {
            Entries entries = byCode.get(codeHash);
            return entries == null ? Optional.empty() : Optional.ofNullable(entries.offer());
        }
    }

    @Override
    public List<OfferEvent> claims(String codeHash) {
        awaitRead(endOffset() - 1);
        synchronized (this) {
            Entries entries = byCode.get(codeHash);
            return entries == null ? List.of() : List.copyOf(entries.claims());
        }
    }

    @Override
    public List<OfferEvent> claim(OfferEvent claim) {
        long offset = write(claim);
        awaitRead(offset);
        synchronized (this) {
            Entries entries = byCode.get(claim.codeHash());
            List<OfferEvent> history = new ArrayList<>();
            if (entries != null) {
                for (OfferEvent earlier : entries.claims()) {
                    Long at = claimOffsets.get(earlier.claimId());
                    if (at != null && at <= offset) {
                        history.add(earlier);
                    }
                }
            }
            return history;
        }
    }

    private long write(OfferEvent event) {
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(PARTITION.topic(), PARTITION.partition(),
                    event.codeHash(), event)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return written.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to wallet-offers", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write to wallet-offers", e);
        }
    }

    private long endOffset() {
        try {
            ListOffsetsResult.ListOffsetsResultInfo info = admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest()))
                    .partitionResult(PARTITION).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return info.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end of wallet-offers", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end of wallet-offers", e);
        }
    }

    /** Waits until every record up to and including {@code offset} is read. */
    private synchronized void awaitRead(long offset) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (position <= offset) {
            if (failure != null) {
                throw new IllegalStateException("the wallet-offers reader has stopped", failure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                throw new IllegalStateException("wallet-offers was not read up to offset " + offset + " in time");
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading wallet-offers", e);
            }
        }
    }

    private void read() {
        try {
            while (!closed) {
                var records = consumer.poll(Duration.ofMillis(200));
                long next = consumer.position(PARTITION);
                synchronized (this) {
                    for (ConsumerRecord<String, OfferEvent> record : records) {
                        apply(record);
                    }
                    // Transaction markers and compaction gaps advance the position without records.
                    position = Math.max(position, next);
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() wakes the reader.
        } catch (RuntimeException e) {
            LOG.error("the wallet-offers reader stopped; wallet offers cannot be redeemed until a restart", e);
            failure = e;
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private void apply(ConsumerRecord<String, OfferEvent> record) {
        OfferEvent event = record.value();
        if (event == null) {
            return;
        }
        if (event.kind() == OfferEvent.Kind.OFFERED) {
            Entries existing = byCode.get(event.codeHash());
            byCode.put(event.codeHash(), new Entries(existing == null || existing.offer() == null ? event : existing.offer(),
                    existing == null ? new ArrayList<>() : existing.claims()));
            forgetExpired(event.at());
        } else {
            byCode.computeIfAbsent(event.codeHash(), hash -> new Entries(null, new ArrayList<>())).claims().add(event);
            claimOffsets.put(event.claimId(), record.offset());
        }
    }

    /** Drops offers long expired at {@code now} (the log's own time), keeping the maps bounded. */
    private void forgetExpired(Instant now) {
        if (byCode.size() < 10_000) {
            return;
        }
        Set<String> expired = new java.util.HashSet<>();
        byCode.forEach((hash, entries) -> {
            if (entries.offer() != null && entries.offer().expiresAt().plus(KEEP_EXPIRED).isBefore(now)) {
                expired.add(hash);
            }
        });
        for (String hash : expired) {
            byCode.remove(hash).claims().forEach(claim -> claimOffsets.remove(claim.claimId()));
        }
    }

    private void ensureTopic() {
        try {
            admin.createTopics(List.of(Topics.WALLET_OFFERS.newTopic(Optional.empty(), Optional.empty())))
                    .all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            PartitionReadiness.await(admin, List.of(Topics.WALLET_OFFERS.name()), WAIT);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create wallet-offers", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating wallet-offers", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create wallet-offers in time", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            reader.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        producer.close(WAIT);
        admin.close(WAIT);
    }
}
