package io.credpipe.issuer.delivery;

import java.util.Optional;

/**
 * Opens an operator's private link: the token in {@code /o/{token}} names exactly one operator
 * while the link is neither expired nor revoked. Every route an operator reaches through the link
 * (page, downloads, wallet offers, exchanges) resolves the token here first.
 */
public interface AccessLinkResolver {

    /** The operator the token opens now, or empty when it is unknown, expired or revoked. */
    Optional<String> operatorId(String token);
}
