package io.credpipe.model.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class DidWebTest {

    @Test
    void aBaseUrlAndItsDidMapBothWays() {
        assertThat(DidWeb.of("https://credentials.example.com")).isEqualTo("did:web:credentials.example.com");
        assertThat(DidWeb.of("https://127.0.0.1:8443")).isEqualTo("did:web:127.0.0.1%3A8443");
        assertThat(DidWeb.of("https://example.com/issuers/acme")).isEqualTo("did:web:example.com:issuers:acme");
        assertThat(DidWeb.baseUrl("did:web:127.0.0.1%3A8443")).contains(URI.create("https://127.0.0.1:8443"));
        assertThat(DidWeb.baseUrl("did:web:example.com:issuers:acme")).contains(URI.create("https://example.com/issuers/acme"));
        assertThat(DidWeb.baseUrl("did:key:z6Mk")).isEmpty();
        assertThat(DidWeb.baseUrl("did:web:example.com#key-1")).as("a DID URL is not the DID").isEmpty();
    }

    @Test
    void aDidWebAndAnHttpsUrlOnItsHostAreTheSameIssuerAndNoOtherIs() {
        assertThat(DidWeb.sameIssuer("did:web:credentials.example.com", "https://credentials.example.com/issuer")).isTrue();
        assertThat(DidWeb.sameIssuer("https://credentials.example.com/issuer", "did:web:credentials.example.com")).isTrue();
        assertThat(DidWeb.sameIssuer("did:web:127.0.0.1%3A8443", "https://127.0.0.1:8443/issuer")).isTrue();
        assertThat(DidWeb.sameIssuer("did:web:127.0.0.1%3A8443", "https://127.0.0.1:9443/issuer")).as("another port").isFalse();
        assertThat(DidWeb.sameIssuer("did:web:other.example", "https://credentials.example.com/issuer")).isFalse();
        assertThat(DidWeb.sameIssuer("did:key:z6MkabcDEF", "https://credentials.example.com/issuer")).isFalse();
        assertThat(DidWeb.sameIssuer("https://a.example/issuer", "https://a.example/other")).as("two URLs must be equal").isFalse();
        assertThat(DidWeb.sameIssuer("did:web:evil.example", "https://user@credentials.example.com/issuer")).isFalse();
    }
}
