package io.credpipe.issuer.credential;

import io.credpipe.model.credential.PublicUrls;
import java.util.Objects;

/**
 * Who issues credpipe credentials: the Open Badges 3.0 {@code Profile} that appears as a
 * credential's {@code issuer} and an achievement's {@code creator}.
 *
 * @param id the profile's URI; also the {@code iss} claim of every credential JWT
 * @param name the issuing organisation's display name
 * @param url the organisation's home page
 */
public record IssuerProfile(String id, String name, String url) {

    public IssuerProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the issuer needs a name");
        }
    }

    /** The profile published at {@link PublicUrls#issuerProfile()}, with the public base URL as home page. */
    public static IssuerProfile of(PublicUrls urls, String name) {
        return new IssuerProfile(urls.issuerProfile(), name, urls.base());
    }
}
