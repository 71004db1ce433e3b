package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.delivery.DeliveryKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OperatorMailTest {

    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final String LINK = "https://credentials.example.com/o/abc";

    private static DeliveryEvent event(DeliveryKind kind, String level) {
        return new DeliveryEvent(kind, "acme:E1", "c1", "51-8091.00@v.26.05", level, NOW, null, null);
    }

    @Test
    void anIssueNamesTheLevelAndCarriesTheLinkAndItsExpiry() {
        OperatorMail.Message mail = OperatorMail.about(event(DeliveryKind.ISSUED, "proficient"), "Dana Ruiz", "Plant Operators (v.26.05)", LINK,
                Instant.parse("2027-01-04T08:00:00Z"), "Example Plant").orElseThrow();
        assertThat(mail.subject()).isEqualTo("You have earned a Proficient credential");
        assertThat(mail.text()).startsWith("Hello Dana Ruiz,").contains("Example Plant has issued you a Proficient credential in Plant Operators (v.26.05).")
                .contains(LINK).contains("4 January 2027");
        assertThat(OperatorMail.about(event(DeliveryKind.ISSUED, "emerging"), null, null, LINK, NOW, "X").orElseThrow().subject())
                .isEqualTo("You have earned an Emerging credential");
    }

    @Test
    void revocationsSuspensionsAndReinstatementsAreMailedWithTheirOwnSubject() {
        assertThat(OperatorMail.about(event(DeliveryKind.REVOKED, "advanced"), null, null, LINK, NOW, "X").orElseThrow().subject())
                .isEqualTo("Your Advanced credential was withdrawn");
        assertThat(OperatorMail.about(event(DeliveryKind.SUSPENDED, "advanced"), null, null, LINK, NOW, "X").orElseThrow().subject())
                .isEqualTo("Your Advanced credential is suspended");
        OperatorMail.Message reinstated = OperatorMail.about(event(DeliveryKind.REINSTATED, "advanced"), " ", null, LINK, NOW, "X")
                .orElseThrow();
        assertThat(reinstated.subject()).isEqualTo("Your Advanced credential is valid again");
        assertThat(reinstated.text()).startsWith("Hello,");
    }

    @Test
    void expiryNoticesAndWalletEventsAreNotMailed() {
        for (DeliveryKind kind : new DeliveryKind[] {DeliveryKind.EXPIRING, DeliveryKind.OFFERED, DeliveryKind.REDEEMED,
                DeliveryKind.ACCEPTED, DeliveryKind.DELETED}) {
            assertThat(OperatorMail.mailed(event(kind, "advanced"))).isFalse();
            assertThat(OperatorMail.about(event(kind, "advanced"), null, null, LINK, NOW, "X")).isEmpty();
        }
    }
}
