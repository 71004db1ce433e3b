package io.credpipe.issuer.delivery;

import java.util.Objects;

/**
 * Where the OpenID4VCI endpoints live under the issuer's public base URL, which is also the
 * Credential Issuer Identifier (OpenID4VCI 1.0 §12.2.1) and, since the metadata names no
 * {@code authorization_servers}, the OAuth Authorization Server's issuer (RFC 8414 §2).
 *
 * @param base the public base URL, without a trailing slash
 */
public record WalletEndpoints(String base) {

    public static final String ISSUER_METADATA_PATH = "/.well-known/openid-credential-issuer";
    public static final String AUTHORIZATION_SERVER_METADATA_PATH = "/.well-known/oauth-authorization-server";
    /**
     * Offers are named in the query ({@code ?id=}), not the path: the offer id opens the offer's
     * pre-authorized code, and request logs show paths only.
     */
    public static final String OFFER_PATH = "/oid4vci/offer";
    /** The query parameter naming the offer. */
    public static final String OFFER_ID_PARAMETER = "id";
    public static final String TOKEN_PATH = "/oid4vci/token";
    public static final String NONCE_PATH = "/oid4vci/nonce";
    public static final String CREDENTIAL_PATH = "/oid4vci/credential";
    public static final String NOTIFICATION_PATH = "/oid4vci/notification";
    public static final String LOGO_PATH = "/assets/wallet-logo.svg";

    public WalletEndpoints {
        Objects.requireNonNull(base, "base");
        if (base.endsWith("/")) {
            throw new IllegalArgumentException("a base URL without a trailing slash: " + base);
        }
    }

    /** The Credential Issuer Identifier: the {@code aud} every key proof must name. */
    public String issuer() {
        return base;
    }

    /** The {@code credential_offer_uri} of offer {@code offerId} (OpenID4VCI 1.0 §4.1.3). */
    public String offer(String offerId) {
        return base + OFFER_PATH + "?" + OFFER_ID_PARAMETER + "=" + offerId;
    }

    public String token() {
        return base + TOKEN_PATH;
    }

    public String nonce() {
        return base + NONCE_PATH;
    }

    public String credential() {
        return base + CREDENTIAL_PATH;
    }

    public String notification() {
        return base + NOTIFICATION_PATH;
    }

    public String logo() {
        return base + LOGO_PATH;
    }
}
