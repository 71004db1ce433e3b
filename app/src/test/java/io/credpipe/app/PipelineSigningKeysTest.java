package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.SigningAlgorithm;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline whose active key is of the other algorithm stops before it starts anything. */
class PipelineSigningKeysTest {

    @TempDir
    Path data;

    private Pipeline.Options options(SigningAlgorithm algorithm) {
        return new Pipeline.Options(Optional.empty(), data, Optional.of(1), "127.0.0.1", 0, Optional.empty(), "credpipe",
                Optional.empty(), EnumSet.allOf(Pipeline.Service.class), algorithm, JwtType.JWT);
    }

    @Test
    void anEs256KeyStopsAnRs256PipelineBeforeKafkaStartsNamingTheRotateCommand() throws Exception {
        String es256 = IssuerKeys.loadOrCreate(data.resolve("keys")).activeKeyId();

        assertThatThrownBy(() -> Pipeline.start(options(SigningAlgorithm.RS256)).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the active signing key " + es256)
                .hasMessageContaining("is an ES256 key, but the issuer is configured to sign with RS256")
                .hasMessageContaining("credpipe keys rotate --signing-algorithm RS256 --data-dir " + data.toAbsolutePath())
                .hasMessageContaining("or sign with --signing-algorithm ES256");
        assertThat(data.resolve("kafka")).as("no embedded broker was started").doesNotExist();
        assertThat(IssuerKeys.loadOrCreate(data.resolve("keys")).publicJwks().getKeys())
                .as("nothing was rotated behind the operator's back").hasSize(1);
    }
}
