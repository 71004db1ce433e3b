package io.credpipe.verifier.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValidityPeriodTest {

    private static final Instant FROM = Instant.parse("2026-05-20T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2029-05-20T00:00:00Z");
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final ValidityPeriod PERIOD = new ValidityPeriod(FROM, UNTIL);

    @Test
    void aStartWithinTheSkewIsAlreadyValidAndOneBeyondItIsNot() {
        assertThat(PERIOD.notYetValid(FROM.minus(SKEW), SKEW)).isFalse();
        assertThat(PERIOD.notYetValid(FROM.minus(SKEW).minusSeconds(1), SKEW)).isTrue();
        assertThat(PERIOD.notYetValid(FROM.minusSeconds(1), Duration.ZERO)).isTrue();
        assertThat(PERIOD.notYetValid(FROM, Duration.ZERO)).isFalse();
    }

    @Test
    void anEndWithinTheSkewIsStillValidAndOneBeyondItHasExpired() {
        assertThat(PERIOD.expired(UNTIL.plus(SKEW), SKEW)).isFalse();
        assertThat(PERIOD.expired(UNTIL.plus(SKEW).plusSeconds(1), SKEW)).isTrue();
        assertThat(PERIOD.expired(UNTIL, Duration.ZERO)).isFalse();
        assertThat(PERIOD.expired(UNTIL.plusSeconds(1), Duration.ZERO)).isTrue();
    }

    @Test
    void openEndsNeverFail() {
        assertThat(ValidityPeriod.ALWAYS.notYetValid(Instant.EPOCH, Duration.ZERO)).isFalse();
        assertThat(ValidityPeriod.ALWAYS.expired(Instant.MAX.minusSeconds(1), Duration.ZERO)).isFalse();
        assertThat(new ValidityPeriod(FROM, null).expired(UNTIL.plusSeconds(86_400 * 365L), Duration.ZERO)).isFalse();
    }

    @Test
    void currentMeansNeitherNotYetValidNorExpired() {
        assertThat(PERIOD.current(FROM.plusSeconds(1), Duration.ZERO)).isTrue();
        assertThat(PERIOD.current(FROM.minusSeconds(1), Duration.ZERO)).isFalse();
        assertThat(PERIOD.current(UNTIL.plusSeconds(1), Duration.ZERO)).isFalse();
    }

    @Test
    void withinKeepsTheLaterStartAndTheEarlierEnd() {
        ValidityPeriod claims = new ValidityPeriod(FROM.plusSeconds(60), UNTIL.plusSeconds(60));
        assertThat(PERIOD.within(claims)).isEqualTo(new ValidityPeriod(FROM.plusSeconds(60), UNTIL));
        assertThat(claims.within(PERIOD)).isEqualTo(new ValidityPeriod(FROM.plusSeconds(60), UNTIL));
        assertThat(ValidityPeriod.ALWAYS.within(PERIOD)).isEqualTo(PERIOD);
        assertThat(PERIOD.within(ValidityPeriod.ALWAYS)).isEqualTo(PERIOD);
    }

    @Test
    void theSkewNoteNamesTheMinutesOrNothing() {
        assertThat(ValidityPeriod.skewNote(SKEW)).isEqualTo(" (allowing 5 min of clock skew)");
        assertThat(ValidityPeriod.skewNote(Duration.ZERO)).isEmpty();
    }
}
