package io.credpipe.verifier.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Fetches public material (a JWK set, a credential, a status list) over HTTP(S) with short
 * timeouts, turning every way a fetch can fail into one sentence a person can act on instead of an
 * exception. Thread-safe.
 */
public final class HttpFetch {

    /** Public keys and credentials are a few kilobytes; anything this large is not one. */
    public static final int MAX_BYTES = 1024 * 1024;

    private final Duration timeout;
    private HttpClient client;

    /**
     * Creates a fetcher.
     *
     * @param timeout how long connecting and answering may each take
     */
    public HttpFetch(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Created on first use: a client starts a selector thread, which verifiers using files never need. */
    private synchronized HttpClient client() {
        if (client == null) {
            // NORMAL never follows an https → http redirect, so TLS cannot be silently dropped.
            client = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
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
     * GETs {@code uri}.
     *
     * @param uri    the URL
     * @param accept the Accept header
     * @return the body of a 200 response, or why there is none
     */
    public Result get(URI uri, String accept) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET().build();
        try {
            HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    return Result.failure("HTTP " + response.statusCode() + " from " + uri);
                }
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    return Result.failure(uri + " answered with more than " + MAX_BYTES + " bytes");
                }
                return new Result(bytes, null);
            }
        } catch (HttpConnectTimeoutException e) {
            return Result.failure("no connection to " + uri.getHost() + " within " + seconds(timeout));
        } catch (HttpTimeoutException e) {
            return Result.failure("no answer from " + uri + " within " + seconds(timeout));
        } catch (SSLException e) {
            return Result.failure("TLS with " + uri.getHost() + " failed: " + e.getMessage());
        } catch (ConnectException e) {
            return Result.failure(cause(e, uri));
        } catch (IOException e) {
            return Result.failure("cannot fetch " + uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failure("interrupted while fetching " + uri);
        } catch (IllegalArgumentException e) {
            return Result.failure("cannot fetch " + uri + ": " + e.getMessage());
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
