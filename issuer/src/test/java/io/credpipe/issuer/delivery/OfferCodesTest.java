package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class OfferCodesTest {

    private final OfferCodes codes = new OfferCodes(new byte[32]);

    @Test
    void aCodeIsTheSameForItsOfferEveryTimeAndUnguessableFromAnother() {
        String offer = codes.newOfferId();
        assertThat(Base64.getUrlDecoder().decode(offer)).hasSize(16);
        assertThat(codes.preAuthorizedCode(offer)).isEqualTo(codes.preAuthorizedCode(offer));
        assertThat(Base64.getUrlDecoder().decode(codes.preAuthorizedCode(offer))).hasSize(32);
        assertThat(codes.preAuthorizedCode(codes.newOfferId())).isNotEqualTo(codes.preAuthorizedCode(offer));
        byte[] otherKey = new byte[32];
        otherKey[31] = 7;
        assertThat(new OfferCodes(otherKey).preAuthorizedCode(offer)).isNotEqualTo(codes.preAuthorizedCode(offer));
    }

    @Test
    void theTxCodeIsSixDigitsOfTheCodeAndOnlyItMatches() {
        String code = codes.preAuthorizedCode(codes.newOfferId());
        String tx = codes.txCode(code);
        assertThat(tx).matches("[0-9]{6}");
        assertThat(codes.txCodeMatches(code, tx)).isTrue();
        assertThat(codes.txCodeMatches(code, tx.equals("123456") ? "654321" : "123456")).isFalse();
        assertThat(codes.txCodeMatches(code, null)).isFalse();
    }

    @Test
    void theLogKeepsAHashNotTheCode() {
        String code = codes.preAuthorizedCode(codes.newOfferId());
        assertThat(OfferCodes.hash(code)).isNotEqualTo(code).isEqualTo(OfferCodes.hash(code)).hasSize(43);
    }
}
