package io.credpipe.issuer.delivery;

import io.credpipe.model.delivery.OfferEvent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An {@link OfferLedger} that exists only once its service has started: every call goes to the
 * ledger {@code started} supplies then, and throws {@link IllegalStateException} before (as the
 * issuer's delivery log does), so routes can be wired before the log is read.
 */
public final class DeferredOfferLedger implements OfferLedger {

    private final Supplier<OfferLedger> started;

    /** @param started the ledger once started, {@code null} before */
    public DeferredOfferLedger(Supplier<OfferLedger> started) {
        this.started = Objects.requireNonNull(started, "started");
    }

    private OfferLedger ledger() {
        OfferLedger current = started.get();
        if (current == null) {
            throw new IllegalStateException("the issuer is not started");
        }
        return current;
    }

    @Override
    public void offer(OfferEvent offered) {
        ledger().offer(offered);
    }

    @Override
    public Optional<OfferEvent> offered(String codeHash) {
        return ledger().offered(codeHash);
    }

    @Override
    public List<OfferEvent> claims(String codeHash) {
        return ledger().claims(codeHash);
    }

    @Override
    public List<OfferEvent> claim(OfferEvent claim) {
        return ledger().claim(claim);
    }
}
