package io.credpipe.model.credential;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code did:web} DID of a public base URL and back (DID Method Web, https://w3c-ccg.github.io/did-method-web/),
 * and the one rule by which credpipe takes a DID and a URL to name the same issuer.
 *
 * <p>An issuer whose {@code id} is its {@code did:web} DID is the form every Data Integrity verifier
 * of the Digital Bazaar line (the DCC's verifier-core, VerifierPlus, the Learner Credential Wallet)
 * demands: VC Data Model 2.0 §4.7 makes {@code issuer} "a URL" that "MAY be dereferenced to find
 * information about the issuer", and their {@code CredentialIssuancePurpose} requires it to equal
 * the controller of the proof's verification method. Credentials issued before credpipe used the
 * DID carry {@code {base}/issuer}, an https URL on the host the DID names.
 */
public final class DidWeb {

    private static final String PREFIX = "did:web:";

    private DidWeb() {}

    /**
     * The DID of {@code baseUrl} (§3.1 "Create"): the host, a port percent-encoded
     * ({@code localhost%3A8080}), then each path segment after a colon.
     */
    public static String of(String baseUrl) {
        URI base = URI.create(baseUrl);
        StringBuilder did = new StringBuilder(PREFIX).append(base.getHost().toLowerCase(Locale.ROOT));
        if (base.getPort() != -1) {
            did.append("%3A").append(base.getPort());
        }
        String path = base.getPath();
        if (path != null && !path.isEmpty()) {
            for (String segment : path.split("/")) {
                if (!segment.isEmpty()) {
                    did.append(':').append(URLEncoder.encode(segment, StandardCharsets.UTF_8));
                }
            }
        }
        return did.toString();
    }

    /**
     * The https base URL a {@code did:web} DID names (§3.2 "Read", without the document's file name):
     * {@code did:web:example.com%3A8443:issuer} is {@code https://example.com:8443/issuer}.
     *
     * @return empty when {@code did} is not a well-formed {@code did:web} DID
     */
    public static Optional<URI> baseUrl(String did) {
        if (did == null || !did.startsWith(PREFIX) || did.contains("#") || did.contains("?")) {
            return Optional.empty();
        }
        String[] parts = did.substring(PREFIX.length()).split(":", -1);
        StringBuilder url = new StringBuilder("https://").append(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
        for (int i = 1; i < parts.length; i++) {
            url.append('/').append(parts[i]);
        }
        try {
            URI uri = new URI(url.toString());
            return uri.getHost() == null || uri.getRawUserInfo() != null ? Optional.empty() : Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code did} is, or controls the web origin of, {@code issuerId}: the same DID, or an
     * http(s) URL on the very host and port a {@code did:web} names, since whoever serves that host's
     * DID document serves its issuer profile too.
     */
    public static boolean controls(String did, String issuerId) {
        if (did == null || issuerId == null) {
            return false;
        }
        if (did.equals(issuerId)) {
            return true;
        }
        Optional<URI> didBase = baseUrl(did);
        if (didBase.isEmpty()) {
            return false;
        }
        URI issuer;
        try {
            issuer = new URI(issuerId);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = issuer.getScheme() == null ? "" : issuer.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || issuer.getHost() == null || issuer.getRawUserInfo() != null) {
            return false;
        }
        return authority(didBase.get()).equals(authority(issuer));
    }

    /**
     * Whether two issuer ids name the same issuer: equal, or one a {@code did:web} DID that
     * {@link #controls} the other. A status list signed after the issuer took its DID as its id
     * still speaks for the credentials it issued under {@code {base}/issuer}.
     */
    public static boolean sameIssuer(String a, String b) {
        return a != null && b != null && (a.equals(b) || controls(a, b) || controls(b, a));
    }

    private static String authority(URI uri) {
        return uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
