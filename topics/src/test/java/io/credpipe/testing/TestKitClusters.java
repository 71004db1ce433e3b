package io.credpipe.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/** In-process KRaft clusters from Kafka's own test kit, set up as production runs them. */
public final class TestKitClusters {

    private TestKitClusters() {}

    /**
     * A builder for {@code brokers} brokers and {@code controllers} controllers at the latest
     * production metadata version, with unreleased protocol and feature versions off (the kit
     * defaults to them on).
     *
     * @param combined whether the controllers are also brokers
     */
    public static KafkaClusterTestKit.Builder production(int brokers, int controllers, boolean combined) {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(combined)
                .setNumBrokerNodes(brokers)
                .setNumControllerNodes(controllers)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        return new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false");
    }

    /** Formats and starts {@code cluster} and waits for its brokers; closes it if that fails. */
    public static KafkaClusterTestKit started(KafkaClusterTestKit cluster) throws Exception {
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }
}
