package io.credpipe.issuer.http;

/**
 * What a person opening a credential's {@code id} in a browser sees: what it claims, and where to
 * verify it. Nothing here is a verification result.
 *
 * @param id the credential's {@code id} URL
 * @param name the credential's name
 * @param issuerName who issued it
 * @param issuerUrl the issuer's home page
 * @param issued when (RFC 3339)
 * @param expires when it lapses (RFC 3339), or {@code null}
 * @param verifyUrl the verification page, asked to verify this credential's {@code id}
 * @param recordUrl the issue record and credential as JSON
 * @param stylesheet the pages' stylesheet
 */
public record CredentialPage(String id, String name, String issuerName, String issuerUrl, String issued, String expires,
        String verifyUrl, String recordUrl, String stylesheet) {}
