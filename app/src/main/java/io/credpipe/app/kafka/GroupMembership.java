package io.credpipe.app.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How a process's consumers join their groups: as static members ({@code group.instance.id},
 * KIP-345) under a stable name, or dynamically.
 *
 * <p>After a {@code kill -9} a restarted dynamic member waits until the group coordinator has waited
 * out its dead self's session (45 s by default; measured by {@code SplitDeploymentKillIT}: ~40 s from
 * ready to progress). A static member that rejoins under its id takes its own place at once.
 * <ul>
 * <li><b>Embedded</b> (single-node mode): one process is the only member of each group, so a fixed
 *     name cannot collide (the broker locks its log directory against a second process). The session
 *     is 10 s, bounding the wait when the member does not come back: above the broker's 6 s minimum,
 *     and still three heartbeats.</li>
 * <li><b>On a cluster</b>, an instance given a stable name ({@code --instance-id}, e.g. the pod name
 *     of a StatefulSet) is static under {@code <group>-<name>}, with Kafka's default session: an
 *     instance that does not come back is replaced after it, and a rolling restart within it moves
 *     no partition. Two running instances must never share a name: the coordinator fences the
 *     older one. Without a name, membership stays dynamic.</li>
 * </ul>
 *
 * @param embedded   whether the process runs the embedded broker
 * @param instanceId the stable name of this instance on a cluster; {@code null} for none
 */
public record GroupMembership(boolean embedded, String instanceId) {

    /** The consumer session of the embedded mode's members. */
    public static final Duration EMBEDDED_SESSION_TIMEOUT = Duration.ofSeconds(10);

    /** Settings for a Kafka Streams application's threads (Streams suffixes the id per thread). */
    public Map<String, Object> streams(String applicationId) {
        if (embedded) {
            return Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, applicationId + "-embedded",
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) EMBEDDED_SESSION_TIMEOUT.toMillis());
        }
        return named(applicationId);
    }

    /** Settings for a plain consumer of group {@code groupId}, e.g. the e-mail notifier's. */
    public Map<String, Object> consumer(String groupId) {
        if (embedded) {
            return Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId + "-embedded",
                    ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) EMBEDDED_SESSION_TIMEOUT.toMillis());
        }
        return named(groupId);
    }

    private Map<String, Object> named(String group) {
        return instanceId == null ? Map.of() : Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-" + instanceId);
    }
}
