package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicUrlRecordTest {

    @Test
    void firstStartRecordsLaterStartsKeepIt(@TempDir Path data) {
        assertThat(PublicUrlRecord.resolve(data, Optional.empty(), "http://127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
        // The demo on another free port: the credentials' URLs must not move.
        assertThat(PublicUrlRecord.resolve(data, Optional.empty(), "http://127.0.0.1:41000")).isEqualTo("http://127.0.0.1:8080");
        assertThat(PublicUrlRecord.resolve(data, Optional.of("http://127.0.0.1:8080/"), "x")).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void aDifferentExplicitUrlIsRefusedWithTheWayOut(@TempDir Path data) {
        PublicUrlRecord.resolve(data, Optional.of("https://creds.example.com"), "http://127.0.0.1:8080");
        assertThatThrownBy(() -> PublicUrlRecord.resolve(data, Optional.of("https://other.example.com"), "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--public-url https://creds.example.com");
    }
}
