package io.credpipe.issuer.http;

import java.util.List;
import java.util.Objects;

/**
 * What the issuer's public home page (its profile's {@code url}) says, for the HTML template and as JSON.
 *
 * @param name the issuing organisation
 * @param url this page: the public base URL
 * @param profile the Open Badges {@code Profile} document
 * @param jwks the public keys
 * @param did the issuer's {@code did:web}
 * @param didDocument where the DID document is served
 * @param verifyPage the verification page for employers
 * @param frameworks the competency frameworks the issuer has published
 * @param stylesheet the pages' stylesheet, served by the issuer
 */
public record IssuerHome(String name, String url, String profile, String jwks, String did, String didDocument,
        String verifyPage, List<FrameworkLink> frameworks, String stylesheet) {

    public IssuerHome {
        Objects.requireNonNull(name, "name");
        frameworks = List.copyOf(frameworks);
    }

    /** A published framework version and where it is described. */
    public record FrameworkLink(String id, String name, String url) {}
}
