package io.credpipe.verifier.jws;

import io.credpipe.verifier.fetch.HttpFetch;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a verifier gets the issuer's public keys. Files and URLs are read at each verification, so
 * a failure to read them is a failed trusted-keys check, never an exception, and a rotated key is
 * picked up without rebuilding the verifier.
 */
public sealed interface KeySource {

    /**
     * Loads the keys; only public keys are kept.
     *
     * @return the keys or why there are none
     */
    Loaded load();

    /**
     * The keys, or why they could not be loaded.
     *
     * @param keys    the public keys, {@code null} on failure
     * @param source  where they came from, for people
     * @param failure what went wrong, {@code null} on success
     */
    record Loaded(TrustedKeys keys, String source, String failure) {

        static Loaded parse(String source, String json) {
            TrustedKeys keys;
            try {
                keys = TrustedKeys.parse(json);
            } catch (IllegalArgumentException e) {
                return new Loaded(null, source, source + " is not a JWK set (RFC 7517 §5): " + e.getMessage());
            }
            return of(source, keys);
        }

        static Loaded of(String source, TrustedKeys keys) {
            return keys.isEmpty()
                    ? new Loaded(null, source, source + " holds no public keys")
                    : new Loaded(keys, source, null);
        }
    }

    /**
     * Keys handed over in memory.
     *
     * @param keys the keys
     */
    record Given(TrustedKeys keys) implements KeySource {
        /**
         * Creates the source.
         *
         * @param keys the keys
         */
        public Given {
            Objects.requireNonNull(keys, "keys");
        }

        @Override
        public Loaded load() {
            return Loaded.of("the given JWK set", keys);
        }
    }

    /**
     * A JWK set in a file, e.g. a saved copy of the issuer's {@code /.well-known/jwks.json}.
     *
     * @param path the file
     */
    record File(Path path) implements KeySource {
        /**
         * Creates the source.
         *
         * @param path the file
         */
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public Loaded load() {
            String source = "JWKS file " + path;
            try {
                return Loaded.parse(source, Files.readString(path, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                return new Loaded(null, source, "cannot read " + source + ": no such file");
            } catch (IOException e) {
                return new Loaded(null, source, "cannot read " + source + ": " + e.getMessage());
            }
        }
    }

    /**
     * A JWK set served over HTTP(S), e.g. the issuer's {@code /.well-known/jwks.json}.
     *
     * @param url  the JWKS URL
     * @param http how to fetch it
     */
    record Url(URI url, HttpFetch http) implements KeySource {
        /**
         * Creates the source.
         *
         * @param url  an http(s) URL
         * @param http how to fetch it
         */
        public Url {
            HttpFetch.requireHttp(url);
            Objects.requireNonNull(http, "http");
        }

        @Override
        public Loaded load() {
            String source = "JWKS " + url;
            HttpFetch.Result fetched = http.get(url, "application/jwk-set+json, application/json;q=0.9");
            if (!fetched.ok()) {
                return new Loaded(null, source, "cannot fetch the issuer's keys: " + fetched.failure());
            }
            return Loaded.parse(source, new String(fetched.body(), StandardCharsets.UTF_8));
        }
    }
}
