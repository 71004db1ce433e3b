package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AccessTokenTest {

    @Test
    void aTokenCarriesTwoHundredFiftySixRandomBitsInUrlSafeCharacters() {
        String token = AccessToken.generate(new SecureRandom());
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        assertThat(AccessToken.wellFormed(token)).isTrue();
    }

    @Test
    void tokensDoNotRepeat() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(AccessToken.generate(random))).isTrue();
        }
    }

    @Test
    void theTokenComesFromTheGeneratorGiven() {
        assertThat(AccessToken.generate(new SplittableRandom(7))).isEqualTo(AccessToken.generate(new SplittableRandom(7)));
        assertThat(AccessToken.generate(new SplittableRandom(7))).isNotEqualTo(AccessToken.generate(new SplittableRandom(8)));
    }

    @Test
    void theHashIsTheSha256OfTheTokenInLowerCaseHex() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assertThat(AccessToken.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String token = AccessToken.generate(new SecureRandom());
        assertThat(AccessToken.hash(token)).doesNotContain(token);
        assertThat(AccessToken.wellFormedHash(AccessToken.hash(token))).isTrue();
    }

    @Test
    void anythingButATokensFormIsRefused() {
        assertThat(AccessToken.wellFormed(null)).isFalse();
        assertThat(AccessToken.wellFormed("")).isFalse();
        assertThat(AccessToken.wellFormed("a".repeat(42))).isFalse();
        assertThat(AccessToken.wellFormed("a".repeat(44))).isFalse();
        assertThat(AccessToken.wellFormed("a".repeat(42) + "=")).isFalse();
        assertThat(AccessToken.wellFormed("a".repeat(42) + "/")).isFalse();
        assertThat(AccessToken.wellFormedHash("A".repeat(64))).isFalse();
        assertThat(AccessToken.wellFormedHash("a".repeat(63))).isFalse();
    }
}
