package io.credpipe.issuer.delivery;

import io.credpipe.model.delivery.OfferEvent;
import java.util.List;
import java.util.Optional;

/**
 * The wallet offer log every issuer instance shares: the {@code wallet-offers} topic in a running
 * pipeline. Its order is the arbiter of single use (see {@link RedemptionRule}).
 */
public interface OfferLedger {

    /** Writes an offer; returns once it is written and this instance has read it back. */
    void offer(OfferEvent offered);

    /**
     * The offer whose code hashes to {@code codeHash}, as of at least every entry written before this
     * call (another instance's offer included); empty when there is none.
     */
    Optional<OfferEvent> offered(String codeHash);

    /**
     * Every claim on the code that hashes to {@code codeHash}, in log order, as of at least every
     * entry written before this call; empty when there is none.
     */
    List<OfferEvent> claims(String codeHash);

    /**
     * Writes {@code claim}, reads the log up to it, and returns every claim on the same code up to and
     * including it, in log order: the history {@link RedemptionRule#decide} judges it by.
     */
    List<OfferEvent> claim(OfferEvent claim);
}
