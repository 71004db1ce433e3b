package io.credpipe.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialSummaryTest {

    @Test
    void plaintextEmailIdentifiersAreComparedToo() {
        CredentialSummary.Subject subject = new CredentialSummary.Subject(null, List.of(), false, List.of(
                new CredentialSummary.Identity("emailAddress", false, "student@1edtech.edu", null)));
        CredentialSummary summary = new CredentialSummary(subject,
                new CredentialSummary.Achievement("urn:a", "A", null), "A", null, List.of(),
                "https://issuer.example", null, "urn:c", java.time.Instant.EPOCH, null, "k", "ES256");
        assertThat(summary.matchesEmail("student@1edtech.edu")).isTrue();
        assertThat(summary.matchesEmail("Student@1EdTech.edu")).isTrue();
        assertThat(summary.matchesEmail("teacher@1edtech.edu")).isFalse();
    }
}
