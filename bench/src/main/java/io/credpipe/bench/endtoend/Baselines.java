package io.credpipe.bench.endtoend;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.credpipe.ingest.kafka.AssessmentPublisher;
import io.credpipe.topics.client.PartitionReadiness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The raw baselines measured in the same run as the pipeline: what Kafka and Nimbus alone do on this machine. */
final class Baselines {

    private Baselines() {}

    /**
     * The idempotent producer ({@code acks=all}, ingest's settings) writing the same events, as the
     * NDJSON lines the clients sent, to a topic of its own; events per second.
     */
    static double producer(String bootstrapServers, Workload workload, long events) throws Exception {
        String topic = "bench-e2e-raw-producer";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // Brokers here do not create topics on first use; replicated as the pipeline's own topics are.
            int replicas = Math.min(3, admin.describeCluster().nodes().get().size());
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(3), Optional.of((short) replicas)))).all().get();
            PartitionReadiness.await(admin, List.of(topic), Duration.ofSeconds(30));
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                AssessmentPublisher.producerConfig(bootstrapServers, Duration.ofSeconds(60)), new ByteArraySerializer(), new ByteArraySerializer())) {
            send(producer, topic, workload, 0, Math.min(events, 20_000));
            long start = System.nanoTime();
            send(producer, topic, workload, 0, events);
            return events / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Workload workload, long from, long to) throws Exception {
        int chunk = 5_000 - 5_000 % workload.eventsPerOperator();
        for (long at = from; at < to; at += chunk) {
            byte[] body = workload.batch(at, Math.min(to, at + chunk)).body();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            int line = 0;
            long event = at;
            for (int i = 0; i < body.length; i++) {
                if (body[i] == '\n') {
                    byte[] value = java.util.Arrays.copyOfRange(body, line, i);
                    byte[] key = workload.operatorId(event / workload.eventsPerOperator()).getBytes(StandardCharsets.UTF_8);
                    acks.add(producer.send(new ProducerRecord<>(topic, key, value)));
                    line = i + 1;
                    event++;
                }
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
    }

    /** Nimbus ES256 signing ({@code JWSObject}) of a payload the size of a credential (~19 KB), one thread; signatures per second. */
    static double signing(Duration measured) throws JOSEException {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        ECDSASigner signer = new ECDSASigner(key);
        StringBuilder payload = new StringBuilder("{\"credentialSubject\":{\"statements\":[");
        while (payload.length() < 19_000) {
            payload.append("{\"id\":\"https://credentials.example.com/frameworks/51-8091.00@v.26.05/emerging/1\",\"n\":")
                    .append(payload.length()).append("},");
        }
        payload.append("{}]}}");
        JWSHeader header = new JWSHeader(JWSAlgorithm.ES256);
        long warmUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < warmUntil) {
            new JWSObject(header, new Payload(payload.toString())).sign(signer);
        }
        long start = System.nanoTime();
        long end = start + measured.toNanos();
        long count = 0;
        while (System.nanoTime() < end) {
            new JWSObject(header, new Payload(payload.toString())).sign(signer);
            count++;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
