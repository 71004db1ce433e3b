package io.credpipe.verifier;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Objects;

/**
 * Where a verifier gets the issuer's public keys. Files and URLs are read at each verification, so
 * a failure to read them is a failed {@link Check#TRUSTED_KEYS} check, never an exception, and a
 * rotated key is picked up without rebuilding the verifier.
 */
sealed interface TrustedKeys {

    /** Loads the keys; only public keys are kept. */
    Loaded load();

    /**
     * The keys, or why they could not be loaded.
     *
     * @param keys    the public keys, {@code null} on failure
     * @param source  where they came from, for people
     * @param failure what went wrong, {@code null} on success
     */
    record Loaded(JWKSet keys, String source, String failure) {

        static Loaded parse(String source, String json) {
            JWKSet keys;
            try {
                keys = JWKSet.parse(json);
            } catch (ParseException e) {
                return new Loaded(null, source, source + " is not a JWK set (RFC 7517 §5): " + e.getMessage());
            }
            // Private parts are dropped and symmetric keys with them: a verifier only ever needs public keys.
            JWKSet publicKeys = keys.toPublicJWKSet();
            if (publicKeys.isEmpty()) {
                return new Loaded(null, source, source + " holds no public keys");
            }
            return new Loaded(publicKeys, source, null);
        }
    }

    /** Keys handed over in memory. */
    record Given(JWKSet keys) implements TrustedKeys {
        public Given {
            Objects.requireNonNull(keys, "keys");
        }

        @Override
        public Loaded load() {
            JWKSet publicKeys = keys.toPublicJWKSet();
            return publicKeys.isEmpty()
                    ? new Loaded(null, "the given JWK set", "the given JWK set holds no public keys")
                    : new Loaded(publicKeys, "the given JWK set", null);
        }
    }

    /** A JWK set in a file, e.g. a saved copy of the issuer's {@code /.well-known/jwks.json}. */
    record File(Path path) implements TrustedKeys {
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

    /** A JWK set served over HTTP(S), e.g. the issuer's {@code /.well-known/jwks.json}. */
    record Url(URI url, HttpFetch http) implements TrustedKeys {
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
