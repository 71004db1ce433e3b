package io.credpipe.model.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.StatementId;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PublicUrlsTest {

    private static final FrameworkId CHEMICAL = new FrameworkId("51-8091.00", "v.26.05");

    @Test
    void urlsMirrorIdentifiers() {
        PublicUrls urls = new PublicUrls("https://creds.example.com/");
        assertThat(urls.statement(new StatementId(CHEMICAL, Level.PROFICIENT, 3)))
                .isEqualTo("https://creds.example.com/frameworks/51-8091.00@v.26.05/proficient/3");
        assertThat(urls.level(CHEMICAL, Level.ADVANCED))
                .isEqualTo("https://creds.example.com/frameworks/51-8091.00@v.26.05/advanced");
        assertThat(urls.framework(CHEMICAL)).isEqualTo("https://creds.example.com/frameworks/51-8091.00@v.26.05");
        assertThat(urls.jwks()).isEqualTo("https://creds.example.com/.well-known/jwks.json");
    }

    @Test
    void onlyHttpBaseUrls() {
        assertThatThrownBy(() -> new PublicUrls("ftp://x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialIdIsDeterministicVersion5() {
        CredentialId a = CredentialId.of("acme:E1234", CHEMICAL, Level.EMERGING, 1);
        CredentialId again = CredentialId.of("acme:E1234", CHEMICAL, Level.EMERGING, 1);
        CredentialId next = CredentialId.of("acme:E1234", CHEMICAL, Level.EMERGING, 2);
        assertThat(a).isEqualTo(again).isNotEqualTo(next);
        assertThat(a.uuid().version()).isEqualTo(5);
        assertThat(a.uuid().variant()).isEqualTo(2);
        assertThat(CredentialId.parse(a.toString())).isEqualTo(a);
        assertThat(a.urn()).startsWith("urn:uuid:");
        // Pinned (and equal to Python's uuid.uuid5 of the same namespace and name) so that a change of
        // the derivation, which would re-issue every credential, fails loudly.
        assertThat(a.uuid()).isEqualTo(UUID.fromString("541da86d-c706-57da-bc33-b7bd0e0a895c"));
    }
}
