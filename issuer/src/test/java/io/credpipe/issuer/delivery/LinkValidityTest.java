package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LinkValidityTest {

    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

    @Test
    void aLinkIsOpenThirtyDaysByDefault() {
        assertThat(LinkValidity.defaults().expiry(NOW, null)).isEqualTo(Instant.parse("2027-01-04T08:00:00Z"));
    }

    @Test
    void theConfiguredValidityAndTheAskedOneApply() {
        LinkValidity week = new LinkValidity(Duration.ofDays(7));
        assertThat(week.expiry(NOW, null)).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThat(week.expiry(NOW, Duration.ofDays(90))).isEqualTo(NOW.plus(Duration.ofDays(90)));
    }

    @Test
    void validityIsBoundedBothWays() {
        assertThatThrownBy(() -> LinkValidity.defaults().expiry(NOW, Duration.ofDays(366)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("365 days");
        assertThatThrownBy(() -> LinkValidity.defaults().expiry(NOW, Duration.ofMinutes(4)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkValidity(Duration.ofDays(400))).isInstanceOf(IllegalArgumentException.class);
        assertThat(LinkValidity.defaults().expiry(NOW, Duration.ofDays(365))).isEqualTo(NOW.plus(Duration.ofDays(365)));
    }
}
