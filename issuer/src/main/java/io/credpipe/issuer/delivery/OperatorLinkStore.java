package io.credpipe.issuer.delivery;

import io.credpipe.model.delivery.OperatorLink;
import java.util.List;
import java.util.Optional;

/**
 * Where links are kept: the compacted {@code operator-links} topic in a running pipeline, which every
 * instance follows, so a link created on one instance opens the page on all of them.
 */
public interface OperatorLinkStore {

    /** Records {@code link} durably; returns once it is written, or throws when it cannot be. */
    void put(OperatorLink link);

    /** Removes the link with id {@code tokenHash} durably. */
    void remove(String tokenHash);

    /** The link with id {@code tokenHash}, as this instance knows it now. */
    Optional<OperatorLink> find(String tokenHash);

    /** Every link of {@code operatorId} this instance knows, expired ones included. */
    List<OperatorLink> ofOperator(String operatorId);
}
