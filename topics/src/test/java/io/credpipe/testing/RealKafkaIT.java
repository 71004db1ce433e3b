package io.credpipe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.topics.topic.Topics;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealKafka.class)
class RealKafkaIT {

    @Test
    void brokerCreatesTheCatalogueTopics(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        try (Admin admin = kafka.admin()) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
            var description = admin.describeTopics(Set.of("assessments")).allTopicNames().get().get("assessments");
            assertThat(description.partitions()).hasSize(2);
        }
    }

    @Test
    void sameBrokerIsSharedAcrossTests(KafkaBroker first, KafkaBroker second) {
        assertThat(first).isSameAs(second);
    }
}
