package io.credpipe.topics.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"credpipe\" password=\"s3cret-pw\";";

    @TempDir Path temp;

    private Path file(String text) throws Exception {
        Path file = temp.resolve("client.properties");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        return file;
    }

    @Test
    void loadsAPropertiesFileAsKafkasToolsWriteIt() throws Exception {
        KafkaClientSettings settings = KafkaClientSettings.load("broker:9093", file("""
                # as for kafka-topics.sh --command-config
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                    username="credpipe" password="s3cret-pw";
                ssl.truststore.location=/etc/credpipe/truststore.p12
                ssl.truststore.type=PKCS12
                """));

        assertThat(settings.settings()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.type", "PKCS12");
    }

    @Test
    void everyClientGetsTheFileAndItsOwnSettingsWin() {
        KafkaClientSettings settings = new KafkaClientSettings("broker:9093",
                Map.of("security.protocol", "SSL", "request.timeout.ms", "60000", "max.block.ms", "90000"));

        Map<String, Object> producer = settings.client(Map.of("max.block.ms", 10_000L, "enable.idempotence", true));

        assertThat(producer).containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("request.timeout.ms", "60000")
                .containsEntry("max.block.ms", 10_000L)
                .containsEntry("enable.idempotence", true);
        assertThat(settings.properties(Map.of())).containsEntry("security.protocol", "SSL");
        assertThat(KafkaClientSettings.plaintext("b:1").client(Map.of())).containsOnlyKeys("bootstrap.servers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"enable.idempotence", "isolation.level", "processing.guarantee", "transactional.id",
        "group.id", "acks", "auto.offset.reset", "enable.auto.commit", "key.serializer", "value.deserializer",
        "default.value.serde", "application.id", "client.id", "state.dir", "default.deserialization.exception.handler",
        "processing.exception.handler"})
    void refusesWhatCredpipeOwnsNamingTheKeyButNotTheValue(String key) throws Exception {
        Path file = file(key + "=VALUE-NOT-TO-SHOW\n");

        assertThatThrownBy(() -> KafkaClientSettings.load("broker:9093", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("cannot be overridden")
                .hasMessageNotContaining("VALUE-NOT-TO-SHOW");
    }

    @Test
    void refusesBootstrapServersPerClientPrefixesAndUnknownKeys() {
        assertThatThrownBy(() -> new KafkaClientSettings("b:1", Map.of("bootstrap.servers", "x:1")))
                .hasMessageContaining("--bootstrap-servers");
        assertThatThrownBy(() -> new KafkaClientSettings("b:1", Map.of("producer.linger.ms", "5")))
                .hasMessageContaining("producer.linger.ms");
        assertThatThrownBy(() -> new KafkaClientSettings("b:1", Map.of("main.consumer.isolation.level", "read_uncommitted")))
                .hasMessageContaining("main.consumer.isolation.level");
        // A misspelt key would otherwise be ignored with a warning and leave an unexplained login failure.
        assertThatThrownBy(() -> new KafkaClientSettings("b:1", Map.of("sasl.jass.config", JAAS)))
                .hasMessageContaining("sasl.jass.config")
                .hasMessageContaining("not a setting")
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = temp.resolve("nope.properties");

        assertThatThrownBy(() -> KafkaClientSettings.load("b:1", missing))
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void toStringShowsKeysNeverValues() {
        KafkaClientSettings settings = new KafkaClientSettings("broker:9093",
                Map.of("sasl.jaas.config", JAAS, "ssl.truststore.password", "trust-pw"));

        assertThat(settings.toString()).contains("broker:9093", "sasl.jaas.config", "ssl.truststore.password")
                .doesNotContain("s3cret-pw").doesNotContain("trust-pw");
    }
}
