package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.issuer.delivery.RedemptionRule.Outcome;
import io.credpipe.model.delivery.OfferEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedemptionRuleTest {

    private static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");
    private final OfferEvent offer = OfferEvent.offered("h", "op", "c", T0.plusSeconds(600), true, T0);
    private final RedemptionRule rule = new RedemptionRule(3);

    private static OfferEvent claim(String id, boolean matched, int second) {
        return OfferEvent.claimed("h", id, matched, T0.plusSeconds(second));
    }

    @Test
    void theFirstGoodClaimInTheLogWinsAndEveryLaterOneLoses() {
        List<OfferEvent> log = List.of(claim("a", true, 1), claim("b", true, 1), claim("c", true, 2));
        assertThat(rule.decide(offer, log, "a")).isEqualTo(Outcome.REDEEMED);
        assertThat(rule.decide(offer, log, "b")).isEqualTo(Outcome.ALREADY_REDEEMED);
        assertThat(rule.decide(offer, log, "c")).isEqualTo(Outcome.ALREADY_REDEEMED);
    }

    @Test
    void everyInstanceJudgesAClaimTheSameWhateverItReadAfterIt() {
        List<OfferEvent> upToB = List.of(claim("a", false, 1), claim("b", true, 2));
        List<OfferEvent> more = new ArrayList<>(upToB);
        more.add(claim("c", true, 3));
        assertThat(rule.decide(offer, upToB, "b")).isEqualTo(rule.decide(offer, more, "b")).isEqualTo(Outcome.REDEEMED);
    }

    @Test
    void wrongTxCodesCountAndTheThirdLocksTheOffer() {
        List<OfferEvent> log = List.of(claim("w1", false, 1), claim("w2", false, 2), claim("w3", false, 3),
                claim("good", true, 4));
        assertThat(rule.decide(offer, log, "w2")).isEqualTo(Outcome.WRONG_TX_CODE);
        assertThat(rule.decide(offer, log, "w3")).isEqualTo(Outcome.WRONG_TX_CODE);
        assertThat(rule.decide(offer, log, "good")).isEqualTo(Outcome.LOCKED);
        assertThat(rule.decide(offer, List.of(claim("w1", false, 1), claim("w2", false, 2), claim("good", true, 3)), "good"))
                .isEqualTo(Outcome.REDEEMED);
    }

    @Test
    void aClaimMadeAtOrAfterExpiryLosesByItsOwnTimestamp() {
        List<OfferEvent> log = List.of(claim("late", true, 600), claim("later", true, 601));
        assertThat(rule.decide(offer, log, "late")).isEqualTo(Outcome.EXPIRED);
        assertThat(rule.decide(offer, log, "later")).isEqualTo(Outcome.EXPIRED);
        assertThat(rule.decide(offer, List.of(claim("in-time", true, 599)), "in-time")).isEqualTo(Outcome.REDEEMED);
    }
}
