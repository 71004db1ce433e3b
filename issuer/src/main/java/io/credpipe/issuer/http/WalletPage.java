package io.credpipe.issuer.http;

import io.credpipe.issuer.delivery.QrCode;

/**
 * What the "Add to wallet" page shows.
 *
 * @param credentialName the credential's name
 * @param issuerName the issuer's name
 * @param offerLink the {@code openid-credential-offer://} link, for a wallet on the same phone
 * @param qr the link's QR code
 * @param txCode the transaction code the wallet will ask for, or null when none is needed
 * @param expires when the offer expires, in words (UTC)
 * @param stylesheet the stylesheet URL
 */
public record WalletPage(String credentialName, String issuerName, String offerLink, QrCode qr, String txCode,
        String expires, String stylesheet) {}
