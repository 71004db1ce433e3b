package io.credpipe.model.credential;

import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.StatementId;
import java.net.URI;
import java.util.Objects;

/**
 * The resolvable URLs of everything credpipe publishes, under the issuer's public base URL.
 * Credentials align to these URLs, so they are part of the contract with verifiers and must never
 * change for an existing framework version.
 *
 * <p>The path mirrors the identifiers: the statement {@code 51-8091.00@v.26.05/proficient/3}
 * lives at {@code {base}/frameworks/51-8091.00@v.26.05/proficient/3} ({@code @} is a legal path
 * character, RFC 3986 §3.3).
 *
 * @param base the public base URL without a trailing slash, e.g. {@code https://credentials.example.com}
 */
public record PublicUrls(String base) {

    public PublicUrls {
        Objects.requireNonNull(base, "base");
        URI uri = URI.create(base);
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("public base URL must be http(s): " + base);
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
    }

    /** The framework version's page, e.g. {@code {base}/frameworks/51-8091.00@v.26.05}. */
    public String framework(FrameworkId id) {
        return base + "/frameworks/" + id;
    }

    /** A level's page; also the id of the level's Open Badges {@code Achievement}. */
    public String level(FrameworkId id, Level level) {
        return framework(id) + "/" + level.id();
    }

    /** A statement's page, e.g. {@code {base}/frameworks/51-8091.00@v.26.05/proficient/3}. */
    public String statement(StatementId id) {
        return base + "/frameworks/" + id;
    }

    /** A credential's stable URL, its {@code id}. */
    public String credential(CredentialId id) {
        return base + "/credentials/" + id;
    }

    /** The issuer's {@code Profile}. */
    public String issuerProfile() {
        return base + "/issuer";
    }

    /** The issuer's public keys. */
    public String jwks() {
        return base + "/.well-known/jwks.json";
    }
}
