package io.credpipe.verifier.http;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which URLs the verification service may fetch on a visitor's behalf: https anywhere, plain http
 * only to hosts named by the operator ({@code --allow-http-host}, for local and test use). A
 * credential, its issuer's keys and its status lists all travel through this one rule, so a page
 * visitor cannot make the service read a plain-HTTP address the operator did not allow.
 *
 * @param plainHttpHosts the host names (lower case) that may be reached over plain http
 */
public record FetchPolicy(Set<String> plainHttpHosts) {

    /**
     * Creates a policy.
     *
     * @param plainHttpHosts host names that may be reached over plain http; case is ignored
     */
    public FetchPolicy {
        plainHttpHosts = plainHttpHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** https only. */
    public static FetchPolicy httpsOnly() {
        return new FetchPolicy(Set.of());
    }

    /**
     * Why {@code url} may not be fetched, if it may not.
     *
     * @param url an absolute URL
     * @return empty when it may be fetched, else one sentence saying why not
     */
    public Optional<String> refusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.of(url + " is not an http(s) URL");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of(url + " carries a user name or password, which this service does not send");
        }
        if (scheme.equals("http") && !plainHttpHosts.contains(host)) {
            return Optional.of(url + " would be fetched over plain HTTP, which this service does only for the hosts "
                    + "its operator allows" + (plainHttpHosts.isEmpty() ? " (none)" : " (" + String.join(", ", plainHttpHosts.stream().sorted().toList()) + ")")
                    + "; use https");
        }
        return Optional.empty();
    }
}
