package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.delivery.OperatorLink;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AccessLinksTest {

    private static final String BASE = "https://credentials.example.com";

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T08:00:00Z"));
    private final InMemoryLinkStore store = new InMemoryLinkStore();
    private final AccessLinks links = new AccessLinks(store, LinkValidity.defaults(), new SecureRandom(), new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }, BASE);

    private static String tokenOf(AccessLinks.Created created) {
        return created.url().substring((BASE + AccessLinks.PATH_PREFIX).length());
    }

    @Test
    void aLinkOpensItsOperatorsPageAndOnlyItsHashIsStored() {
        AccessLinks.Created created = links.create("acme:E1", "hr1", null);
        String token = tokenOf(created);
        assertThat(created.url()).startsWith(BASE + "/o/");
        assertThat(AccessToken.wellFormed(token)).isTrue();
        assertThat(links.operatorId(token)).contains("acme:E1");

        OperatorLink stored = store.links.values().iterator().next();
        assertThat(stored.tokenHash()).isEqualTo(AccessToken.hash(token)).isEqualTo(created.link().tokenHash());
        assertThat(stored.toString()).doesNotContain(token);
        assertThat(created.toString()).doesNotContain(token);
        assertThat(stored.createdBy()).isEqualTo("hr1");
        assertThat(stored.expiresAt()).isEqualTo(now.get().plus(Duration.ofDays(30)));
    }

    @Test
    void aLinkStopsOpeningThePageWhenItExpires() {
        String token = tokenOf(links.create("acme:E1", "hr1", Duration.ofDays(2)));
        now.set(now.get().plus(Duration.ofDays(2)).minusSeconds(1));
        assertThat(links.operatorId(token)).contains("acme:E1");
        now.set(now.get().plusSeconds(1));
        assertThat(links.operatorId(token)).isEmpty();
    }

    @Test
    void unknownAndMalformedTokensOpenNothing() {
        links.create("acme:E1", "hr1", null);
        assertThat(links.operatorId(AccessToken.generate(new SecureRandom()))).isEmpty();
        assertThat(links.operatorId("../../etc/passwd")).isEmpty();
        assertThat(links.operatorId(null)).isEmpty();
        // The stored hash is not a token: knowing a link's id opens nothing.
        String id = store.links.keySet().iterator().next();
        assertThat(links.operatorId(id)).isEmpty();
    }

    @Test
    void aRevokedLinkOpensNothingAndOnlyItsOperatorCanRevokeIt() {
        AccessLinks.Created created = links.create("acme:E1", "hr1", null);
        AccessLinks.Created other = links.create("acme:E1", "hr1", null);
        String id = created.link().tokenHash();
        assertThat(links.revoke("acme:E2", id)).isFalse();
        assertThat(links.operatorId(tokenOf(created))).contains("acme:E1");
        assertThat(links.revoke("acme:E1", id)).isTrue();
        assertThat(links.operatorId(tokenOf(created))).isEmpty();
        assertThat(links.operatorId(tokenOf(other))).contains("acme:E1");
        assertThat(links.revoke("acme:E1", id)).isFalse();
        assertThat(links.revoke("acme:E1", "not-an-id")).isFalse();
    }

    @Test
    void revokingAllOfAnOperatorsLinksLeavesOthersAlone() {
        String first = tokenOf(links.create("acme:E1", "hr1", null));
        String second = tokenOf(links.create("acme:E1", "admin", null));
        String someoneElse = tokenOf(links.create("acme:E2", "hr1", null));
        assertThat(links.revokeAll("acme:E1")).isEqualTo(2);
        assertThat(links.operatorId(first)).isEmpty();
        assertThat(links.operatorId(second)).isEmpty();
        assertThat(links.operatorId(someoneElse)).contains("acme:E2");
    }

    @Test
    void twoLinksOfOneOperatorHaveDifferentTokens() {
        assertThat(tokenOf(links.create("acme:E1", "hr1", null))).isNotEqualTo(tokenOf(links.create("acme:E1", "hr1", null)));
    }
}
