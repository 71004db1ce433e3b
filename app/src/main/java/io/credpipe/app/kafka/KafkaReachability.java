package io.credpipe.app.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the Kafka cluster answers, for {@code /health/ready}: a service that cannot reach Kafka
 * cannot accept or process anything, whatever its own state says. The answer is kept for a few
 * seconds so that frequent probes do not turn into a stream of cluster requests.
 */
public final class KafkaReachability implements AutoCloseable {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration KEEP = Duration.ofSeconds(5);

    private final Admin admin;
    private boolean reachable;
    private long checkedAt = Long.MIN_VALUE;

    public KafkaReachability(KafkaClientSettings kafka) {
        this.admin = Admin.create(kafka.client(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis())));
    }

    /** Whether the cluster answered a metadata request within two seconds, at most five seconds ago. */
    public synchronized boolean reachable() {
        long now = System.nanoTime();
        if (checkedAt != Long.MIN_VALUE && now - checkedAt < KEEP.toNanos()) {
            return reachable;
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis()))
                    .clusterId().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            reachable = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reachable = false;
        } catch (Exception e) {
            reachable = false;
        }
        checkedAt = System.nanoTime();
        return reachable;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
