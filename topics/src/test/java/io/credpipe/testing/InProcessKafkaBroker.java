package io.credpipe.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * A single combined KRaft node from Kafka's own test kit, listening on a random 127.0.0.1 port.
 * The settings are those a one-node cluster needs for transactions (exactly_once_v2) to work.
 */
final class InProcessKafkaBroker implements KafkaBroker {

    private final KafkaClusterTestKit cluster;

    private InProcessKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static InProcessKafkaBroker start() throws Exception {
        KafkaClusterTestKit cluster = TestKitClusters.started(TestKitClusters.production(1, 1, true)
                // One node: internal topics must not ask for replicas that cannot exist.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024))
                .build());
        return new InProcessKafkaBroker(cluster);
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String kind() {
        return "in-process";
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
