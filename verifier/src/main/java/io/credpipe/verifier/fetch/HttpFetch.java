package io.credpipe.verifier.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Fetches public material (a JWK set, a DID document, a credential, a status list) over HTTPS with
 * short timeouts and a size limit, turning every way a fetch can fail into one sentence a person
 * can act on instead of an exception. Thread-safe.
 *
 * <p>Plain HTTP is refused except for hosts allowed explicitly (e.g. a demo issuer on
 * {@code 127.0.0.1}): on the open network it would let anyone on the path swap the issuer's keys
 * or status lists. Redirects are followed by hand, at most {@link #MAX_REDIRECTS}, each hop under
 * the same rule. Responses are kept in a {@link FetchCache} as long as their {@code Cache-Control}
 * allows.
 */
public final class HttpFetch {

    /** How many redirects one fetch follows. */
    public static final int MAX_REDIRECTS = 5;

    /** Public keys and credentials are a few kilobytes; anything this large is not one. */
    public static final int MAX_BYTES = 1024 * 1024;

    private final Duration timeout;
    private final Set<String> httpHosts;
    private final FetchCache cache;
    private HttpClient client;
    private final SSLContext tls;

    /**
     * Creates a fetcher for HTTPS only, without a cache.
     *
     * @param timeout how long connecting and answering may each take
     */
    public HttpFetch(Duration timeout) {
        this(timeout, Set.of(), null);
    }

    /**
     * Creates a fetcher.
     *
     * @param timeout   how long connecting and answering may each take
     * @param httpHosts the hosts plain HTTP is allowed to, e.g. {@code 127.0.0.1}; compared case-insensitively
     * @param cache     where responses are kept, or {@code null} for no cache
     */
    public HttpFetch(Duration timeout, Set<String> httpHosts, FetchCache cache) {
        this(timeout, httpHosts, cache, null);
    }

    /**
     * Creates a fetcher that trusts the certificates {@code tls} trusts instead of the JDK's: for
     * issuers behind a private certificate authority (and for tests with a self-signed one).
     *
     * @param timeout   how long connecting and answering may each take
     * @param httpHosts the hosts plain HTTP is allowed to; compared case-insensitively
     * @param cache     where responses are kept, or {@code null} for no cache
     * @param tls       the TLS context of every HTTPS fetch, or {@code null} for the JDK's default
     */
    public HttpFetch(Duration timeout, Set<String> httpHosts, FetchCache cache, SSLContext tls) {
        this.tls = tls;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.httpHosts = httpHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.cache = cache;
    }

    /** Created on first use: a client starts a selector thread, which verifiers using files never need. */
    private synchronized HttpClient client() {
        if (client == null) {
            // Redirects are followed in get(), so every hop passes the plain-HTTP rule.
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (tls != null) {
                builder.sslContext(tls);
            }
            client = builder.build();
        }
        return client;
    }

    /**
     * The Accept header for a JWT-secured credential, status list credentials included: VC-JOSE-COSE
     * names {@code application/vc+jwt} (§3.1.1), OB 3.0 and credpipe's default {@code typ: JWT} serve
     * {@code application/jwt}, and whatever else comes back is still read and then verified.
     */
    public static final String JWT_CREDENTIAL = "application/vc+jwt, application/jwt, */*;q=0.1";

    /**
     * Throws if {@code uri} is not an absolute http(s) URL; used when the URL is configured.
     *
     * @param uri the URL
     * @return {@code uri}
     * @throws IllegalArgumentException if it is not an absolute http(s) URL
     */
    public static URI requireHttp(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + uri);
        }
        return uri;
    }

    /**
     * Whether plain HTTP to {@code host} is allowed.
     *
     * @param host a host name or IP literal
     * @return {@code true} if it was allowed explicitly
     */
    public boolean plainHttpAllowed(String host) {
        return httpHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    /**
     * Why this fetcher will not fetch {@code uri}, or {@code null} if it will: only https, and
     * http to an {@linkplain #HttpFetch(Duration, Set, FetchCache) allowed host}.
     *
     * @param uri the URL
     * @return the refusal, or {@code null}
     */
    public String refusal(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !scheme.equals("https") && !scheme.equals("http")) {
            return "not an http(s) URL: " + uri;
        }
        if (scheme.equals("http") && !plainHttpAllowed(uri.getHost())) {
            return "plain HTTP to " + uri.getHost() + " is not allowed (anyone on the path could change what it "
                    + "serves): use https, or allow the host explicitly (allowHttpHost / --allow-http-host)";
        }
        return null;
    }

    /**
     * GETs {@code uri}, from the cache when a fresh copy is there.
     *
     * @param uri    the URL
     * @param accept the Accept header
     * @return the body of a 200 response, or why there is none
     */
    public Result get(URI uri, String accept) {
        if (cache != null) {
            var cached = cache.get(uri, accept);
            if (cached.isPresent()) {
                return new Result(cached.get(), null);
            }
        }
        URI at = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            String refused = refusal(at);
            if (refused != null) {
                return Result.failure(hop == 0 ? refused : uri + " redirects to " + at + ": " + refused);
            }
            Hop result = fetch(at, accept);
            if (result.redirect() == null) {
                if (result.result().ok() && cache != null) {
                    cache.put(uri, accept, result.headers(), result.result().body());
                }
                return result.result();
            }
            at = result.redirect();
        }
        return Result.failure(uri + " redirects more than " + MAX_REDIRECTS + " times");
    }

    /** One request: a result, or where the server redirects to. */
    private record Hop(Result result, HttpHeaders headers, URI redirect) {}

    private Hop fetch(URI uri, String accept) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET().build();
        } catch (IllegalArgumentException e) {
            return new Hop(Result.failure("cannot fetch " + uri + ": " + e.getMessage()), null, null);
        }
        try {
            HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    var location = response.headers().firstValue("Location");
                    if (location.isEmpty()) {
                        return new Hop(Result.failure("HTTP " + status + " from " + uri + " without a Location"), null, null);
                    }
                    return new Hop(null, null, uri.resolve(location.get()));
                }
                if (status != 200) {
                    return new Hop(Result.failure("HTTP " + status + " from " + uri), null, null);
                }
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    return new Hop(Result.failure(uri + " answered with more than " + MAX_BYTES + " bytes"), null, null);
                }
                return new Hop(new Result(bytes, null), response.headers(), null);
            }
        } catch (HttpConnectTimeoutException e) {
            return new Hop(Result.failure("no connection to " + uri.getHost() + " within " + seconds(timeout)), null, null);
        } catch (HttpTimeoutException e) {
            return new Hop(Result.failure("no answer from " + uri + " within " + seconds(timeout)), null, null);
        } catch (SSLException e) {
            return new Hop(Result.failure("TLS with " + uri.getHost() + " failed: " + e.getMessage()), null, null);
        } catch (ConnectException e) {
            return new Hop(Result.failure(cause(e, uri)), null, null);
        } catch (IOException e) {
            return new Hop(Result.failure("cannot fetch " + uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())), null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Hop(Result.failure("interrupted while fetching " + uri), null, null);
        } catch (IllegalArgumentException e) {
            return new Hop(Result.failure("cannot fetch " + uri + ": " + e.getMessage()), null, null);
        }
    }

    private static String cause(ConnectException e, URI uri) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof UnresolvedAddressException) {
            return "unknown host " + uri.getHost();
        }
        return "cannot connect to " + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + " (" + (root.getMessage() == null ? "connection refused" : root.getMessage()) + ")";
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /**
     * The body of a successful fetch, or why it failed.
     *
     * @param body    the response body, {@code null} on failure
     * @param failure what went wrong, {@code null} on success
     */
    public record Result(byte[] body, String failure) {

        static Result failure(String failure) {
            return new Result(null, failure);
        }

        /**
         * Whether the fetch succeeded.
         *
         * @return {@code true} if there is a body
         */
        public boolean ok() {
            return failure == null;
        }
    }
}
