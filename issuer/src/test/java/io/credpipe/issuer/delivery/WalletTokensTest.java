package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WalletTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private final byte[] key = new byte[32];
    private final WalletTokens tokens = new WalletTokens(key, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anAccessTokenCarriesItsGrantUntilItExpires() {
        String token = tokens.accessToken(new WalletTokens.Grant("cred", "op", NOW.plusSeconds(60)));
        assertThat(tokens.grant(token)).hasValueSatisfying(grant -> {
            assertThat(grant.credentialId()).isEqualTo("cred");
            assertThat(grant.operatorId()).isEqualTo("op");
        });
        WalletTokens later = new WalletTokens(key, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
        assertThat(later.grant(token)).isEmpty();
    }

    @Test
    void aNonceIsStaleAfterItsLifetimeAndNeverAnAccessToken() {
        String nonce = tokens.nonce(NOW.plusSeconds(300));
        assertThat(tokens.nonceValid(nonce)).isTrue();
        assertThat(new WalletTokens(key, Clock.fixed(NOW.plusSeconds(300), ZoneOffset.UTC)).nonceValid(nonce)).isFalse();
        assertThat(tokens.grant(nonce)).as("a nonce is not an access token").isEmpty();
        assertThat(tokens.nonceValid(tokens.nonce(NOW.plusSeconds(300)))).isTrue();
        assertThat(tokens.nonce(NOW.plusSeconds(300))).isNotEqualTo(nonce);
    }

    @Test
    void aTokenMadeWithAnotherKeyOrAlteredIsRefused() {
        byte[] otherKey = Arrays.copyOf(key, 32);
        otherKey[0] = 1;
        String foreign = new WalletTokens(otherKey, Clock.fixed(NOW, ZoneOffset.UTC))
                .accessToken(new WalletTokens.Grant("cred", "op", NOW.plusSeconds(60)));
        assertThat(tokens.grant(foreign)).isEmpty();
        String token = tokens.accessToken(new WalletTokens.Grant("cred", "op", NOW.plusSeconds(60)));
        String altered = (token.charAt(0) == 'e' ? 'f' : 'e') + token.substring(1);
        assertThat(tokens.grant(altered)).isEmpty();
        assertThat(tokens.grant("not a token")).isEmpty();
        assertThat(tokens.grant(null)).isEmpty();
    }
}
