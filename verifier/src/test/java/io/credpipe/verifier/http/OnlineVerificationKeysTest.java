package io.credpipe.verifier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Where the online verifier looks for a JWT's keys, from its unverified {@code iss} and {@code kid}. */
class OnlineVerificationKeysTest {

    private final OnlineVerification online = new OnlineVerification(FetchPolicy.httpsOnly(), Duration.ofSeconds(5));

    private static String token(String kid, String iss) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(("{\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"iss\":\"" + iss + "\"}").getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void aDidWebIssuerHasItsKeysOnTheHttpsOriginItsDidNames() {
        assertThat(online.jwksOf(token("https://credentials.example.com/keys/abc", "did:web:credentials.example.com")))
                .isEqualTo(URI.create("https://credentials.example.com/.well-known/jwks.json"));
        assertThat(online.jwksOf(token("https://127.0.0.1:8443/keys/abc", "did:web:127.0.0.1%3A8443")))
                .isEqualTo(URI.create("https://127.0.0.1:8443/.well-known/jwks.json"));
        // A local issuer on plain http: its DID names the host and port its kid is on.
        assertThat(online.jwksOf(token("http://127.0.0.1:8080/keys/abc", "did:web:127.0.0.1%3A8080")))
                .isEqualTo(URI.create("http://127.0.0.1:8080/.well-known/jwks.json"));
        // A kid on another origin does not move the look-up away from the issuer's own host.
        assertThat(online.jwksOf(token("https://evil.example/keys/abc", "did:web:credentials.example.com")))
                .isEqualTo(URI.create("https://credentials.example.com/.well-known/jwks.json"));
    }

    @Test
    void anIssuerThatIsNeitherAUrlNorADidWebHasNoKeysToFind() {
        assertThatThrownBy(() -> online.jwksOf(token("https://a.example/keys/abc", "did:key:z6MkabcDEF")))
                .hasMessageContaining("neither an http(s) URL nor a did:web DID");
    }
}
