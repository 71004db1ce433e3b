package io.credpipe.issuer.stream;

import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.delivery.DeliveryEvent;

/**
 * What an issuer task writes for one record: a credential, a status list or a delivery event; the
 * topology routes each to its topic.
 */
record IssuerOutput(IssuedCredential credential, StatusListState status, DeliveryEvent delivery) {

    static IssuerOutput of(IssuedCredential credential) {
        return new IssuerOutput(credential, null, null);
    }

    static IssuerOutput of(StatusListState status) {
        return new IssuerOutput(null, status, null);
    }

    static IssuerOutput of(DeliveryEvent delivery) {
        return new IssuerOutput(null, null, delivery);
    }
}
