package io.credpipe.verifier.status;

import io.credpipe.verifier.fetch.HttpFetch;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a {@code CredentialVerifier} gets a credential's status list credential: the document a
 * {@code BitstringStatusListEntry}'s {@code statusListCredential} URL names (W3C Bitstring Status
 * List v1.0 §2.1, §3.2 step 4 "Dereference the statusListCredential URL").
 *
 * <p>By default a verifier fetches it with an HTTP GET
 * ({@code Accept: application/vc+jwt, application/jwt}) within its
 * HTTP timeout. Tests and applications that hold the lists themselves, or that reach the issuer at
 * another address than the public one, supply their own source to
 * {@code CredentialVerifier.Builder.statusLists(StatusListSource)}.
 *
 * <p>Whatever a source returns is verified like a credential (signature by a trusted key, issuer,
 * validity period), so a source needs no trust of its own.
 */
@FunctionalInterface
public interface StatusListSource {

    /**
     * Dereferences a status list credential URL.
     *
     * @param statusListCredential the {@code statusListCredential} URL of a status entry
     * @return the status list credential as served: a compact JWS
     * @throws IOException when it cannot be had; the credential's status is then unknown and the
     *     credential not verified. Unchecked exceptions are treated the same way.
     */
    String fetch(URI statusListCredential) throws IOException;

    /**
     * The default source: an HTTP GET of the URL with
     * {@code Accept: application/vc+jwt, application/jwt}, failing with an {@link IOException} on
     * anything but a 200 response within {@code timeout}. Only
     * http(s) URLs are fetched. Useful to wrap, e.g. to reach a locally running issuer under its
     * local address when its public base URL is not reachable from here.
     *
     * @param timeout how long connecting and answering may take
     * @return the source
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    static StatusListSource http(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("HTTP timeout must be positive: " + timeout);
        }
        return fetchedWith(new HttpFetch(timeout));
    }

    /**
     * The default source over a given fetcher: GETs status list credentials over http(s), accepting
     * {@link HttpFetch#JWT_CREDENTIAL}: credpipe serves them as {@code application/vc+jwt} when it
     * signs with {@code typ: vc+jwt}, and as {@code application/jwt} otherwise.
     *
     * @param http the fetcher, with its timeouts and limits
     * @return the source
     */
    static StatusListSource fetchedWith(HttpFetch http) {
        Objects.requireNonNull(http, "http");
        return url -> {
            try {
                HttpFetch.requireHttp(url);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage());
            }
            HttpFetch.Result fetched = http.get(url, HttpFetch.JWT_CREDENTIAL);
            if (!fetched.ok()) {
                throw new IOException(fetched.failure());
            }
            return new String(fetched.body(), StandardCharsets.UTF_8);
        };
    }

    /**
     * Status list credentials saved as files, for offline verification: the list at
     * {@code https://issuer.example/v1/status/0-0} is read from {@code directory/0-0.jwt} (the last
     * path segment of the URL plus {@code .jwt}), the layout {@code credpipe demo} writes to
     * {@code out/status}. A saved list is verified like a fetched one, and a list saved before a
     * revocation still says the credential is valid: use it only as fresh as the decision needs.
     *
     * @param directory where the {@code .jwt} files are
     * @return the source
     */
    static StatusListSource directory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return url -> {
            String path = url.getPath();
            String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
            // A name from a credential must not climb out of the directory.
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("\\")) {
                throw new IOException("no saved status list for " + url);
            }
            Path file = directory.resolve(name + ".jwt");
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new IOException("no saved status list " + file + " for " + url);
            }
        };
    }
}
