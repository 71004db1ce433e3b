package io.credpipe.issuer.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpSettingsTest {

    @Test
    void smtpAndSmtpsUrlsWithTheirDefaultPorts() {
        SmtpSettings plain = SmtpSettings.parse("smtp://mail.example.com", null, Map.of(), "a@example.com");
        assertThat(plain.secure()).isFalse();
        assertThat(plain.port()).isEqualTo(25);
        assertThat(plain.username()).isNull();
        SmtpSettings tls = SmtpSettings.parse("smtps://notifier%40plant@mail.example.com", null, Map.of(), "a@example.com");
        assertThat(tls.secure()).isTrue();
        assertThat(tls.port()).isEqualTo(465);
        assertThat(tls.username()).isEqualTo("notifier@plant");
        assertThat(SmtpSettings.parse("smtp://mail.example.com:2525", null, Map.of(), "a@example.com").port()).isEqualTo(2525);
    }

    @Test
    void thePasswordComesFromAFileOrTheEnvironmentAndIsNeverShown(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("smtp-password"), "from-file\n");
        SmtpSettings fromFile = SmtpSettings.parse("smtp://u@h", file, Map.of(SmtpSettings.PASSWORD_VARIABLE, "from-env"),
                "a@example.com");
        assertThat(fromFile.password()).isEqualTo("from-file");
        SmtpSettings fromEnv = SmtpSettings.parse("smtp://u@h", null, Map.of(SmtpSettings.PASSWORD_VARIABLE, "from-env"),
                "a@example.com");
        assertThat(fromEnv.password()).isEqualTo("from-env");
        assertThat(fromEnv.toString()).isEqualTo("smtp://u@h:25").doesNotContain("from-env");
    }

    @Test
    void aPasswordInTheUrlOrAnotherSchemeIsRefused() {
        assertThatThrownBy(() -> SmtpSettings.parse("smtp://u:secret@h", null, Map.of(), "a@example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> SmtpSettings.parse("http://h", null, Map.of(), "a@example.com"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
