package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.topics.client.KafkaClientSettings;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/**
 * How a service's stream threads join their groups: a split-deployment instance restarted after a
 * {@code kill -9} waited ~40 s for its dead self's session before making progress, unless it can
 * rejoin as a static member under a stable name ({@code --instance-id}).
 */
class PipelineMembershipTest {

    private static Pipeline.Options onCluster(String instanceId) {
        return new Pipeline.Options(Optional.of(KafkaClientSettings.plaintext("kafka:9092")), Path.of("data"), Optional.of(3), "127.0.0.1", 0,
                Optional.empty(), "credpipe", Optional.empty(), EnumSet.of(Pipeline.Service.EVALUATOR), null, null, null, null,
                instanceId);
    }

    @Test
    void aNamedInstanceOnAClusterIsAStaticMemberPerApplication() {
        assertThat(Pipeline.membership(onCluster("evaluator-0")).streams("credpipe-evaluator"))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "credpipe-evaluator-evaluator-0");
        assertThat(Pipeline.membership(onCluster("issuer-1")).streams("credpipe-issuer"))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "credpipe-issuer-issuer-1");
    }

    @Test
    void anUnnamedInstanceOnAClusterStaysDynamicAndTheEmbeddedModeStatic() {
        assertThat(Pipeline.membership(onCluster(null)).streams("credpipe-evaluator")).isEmpty();
        assertThat(Pipeline.membership(Pipeline.Options.embedded(Path.of("data"))).streams("credpipe-evaluator"))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "credpipe-evaluator-embedded");
    }

    @Test
    void theNotifiersPlainConsumerJoinsAsTheStreamThreadsDo() {
        assertThat(Pipeline.membership(onCluster("issuer-1")).consumer("credpipe-issuer-notifier"))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "credpipe-issuer-notifier-issuer-1");
        assertThat(Pipeline.membership(onCluster(null)).consumer("credpipe-issuer-notifier")).isEmpty();
        // A plain consumer takes the session timeout unprefixed; Streams' main-consumer prefix would be ignored.
        assertThat(Pipeline.membership(Pipeline.Options.embedded(Path.of("data"))).consumer("credpipe-issuer-notifier"))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "credpipe-issuer-notifier-embedded")
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    }

    @Test
    void anInstanceIdIsANameNotAnythingAtAll() {
        assertThatThrownBy(() -> onCluster("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> onCluster("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> onCluster("x".repeat(101))).isInstanceOf(IllegalArgumentException.class);
    }
}
