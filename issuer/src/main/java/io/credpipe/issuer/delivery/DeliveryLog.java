package io.credpipe.issuer.delivery;

import io.credpipe.model.delivery.DeliveryEvent;

/**
 * Where the issuer's HTTP side records what happened between credpipe and an operator outside the
 * issuer's stream (wallet offers, redemptions, wallet notifications): the {@code deliveries} topic in a
 * running pipeline. Events decided inside the issuer's stream (issued, revoked...) are written by the
 * topology in the same transaction instead.
 */
public interface DeliveryLog {

    /** Records the event durably; returns once it is written, or throws when it cannot be. */
    void record(DeliveryEvent event);
}
