package io.credpipe.issuer.http;

import io.credpipe.issuer.delivery.QrCode;

/**
 * The page that hands one credential to the Learner Credential Wallet: its deep link, the same link
 * as a QR code, and the JSON-LD download for wallets that import files.
 *
 * @param name        the credential's name
 * @param deepLink    the wallet's deep link, naming the exchange and its challenge
 * @param qr          the deep link as a QR code
 * @param expires     when the exchange stops working (RFC 3339)
 * @param downloadUrl the credential with an embedded proof, as a file
 * @param stylesheet  the pages' stylesheet
 */
public record LcwPage(String name, String deepLink, QrCode qr, String expires, String downloadUrl, String stylesheet) {}
