package io.credpipe.model.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityHashTest {

    /** The example of OB 3.0 Appendix B.7: 'a@example.com' salted with 'Kosher'. */
    private static final String SPEC_EXAMPLE = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399";

    @Test
    void specExampleMatches() {
        IdentityHash hash = IdentityHash.parse(SPEC_EXAMPLE).orElseThrow();
        assertThat(hash.matches("a@example.com", "Kosher")).isTrue();
        assertThat(hash.matches("a@example.com", null)).isFalse();
        assertThat(hash.matches("b@example.com", "Kosher")).isFalse();
        assertThat(IdentityHash.sha256("a@example.com", "Kosher").toString()).isEqualTo(SPEC_EXAMPLE);
    }

    @Test
    void upperCaseHexAndAlgorithmAreAccepted() {
        assertThat(IdentityHash.parse(SPEC_EXAMPLE.toUpperCase()).orElseThrow().matches("a@example.com", "Kosher")).isTrue();
    }

    @Test
    void md5HashesOfOtherIssuersAreChecked() {
        // md5("a@example.com"), computed independently with md5sum
        IdentityHash md5 = IdentityHash.parse("md5$b418773a2c51fb9777a1648346fa7394").orElseThrow();
        assertThat(md5.algorithm()).isEqualTo("md5");
        assertThat(md5.matches("a@example.com", null)).isTrue();
        assertThat(md5.matches("a@example.com", "salt")).isFalse();
    }

    @Test
    void malformedHashesDoNotParse() {
        for (String text : List.of("b5809d8a", "sha1$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4b", "sha256$xyz", "sha256$")) {
            assertThat(IdentityHash.parse(text)).as(text).isEqualTo(Optional.empty());
        }
        assertThatThrownBy(() -> new IdentityHash("sha512", "00")).isInstanceOf(IllegalArgumentException.class);
    }
}
