package io.credpipe.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps the public base URL a data directory was first started with. Credentials name their issuer,
 * achievements, statements and signing keys ({@code kid}) by URLs under it, so a silent change —
 * say, the demo landing on another free port — would leave every earlier credential pointing at an
 * issuer and keys that no longer exist.
 */
public final class PublicUrlRecord {

    static final String FILE = "public-url";

    private PublicUrlRecord() {}

    /** The public URL recorded in {@code dataDir}, if it was ever started. */
    public static Optional<String> recorded(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * The public URL to run with: the recorded one, or on first start {@code requested} (when given)
     * or {@code fallback}, which is then recorded.
     *
     * @throws IllegalStateException when {@code requested} differs from the recorded URL
     */
    static String resolve(Path dataDir, Optional<String> requested, String fallback) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String recorded = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (requested.isPresent() && !requested.get().replaceAll("/+$", "").equals(recorded)) {
                    throw new IllegalStateException("the data in " + dataDir + " was issued under the public URL " + recorded
                            + "; its credentials and key ids name that URL. Start with --public-url " + recorded
                            + ", or use another --data-dir for a new issuer.");
                }
                return recorded;
            }
            String chosen = requested.orElse(fallback).replaceAll("/+$", "");
            Files.createDirectories(dataDir);
            Files.writeString(file, chosen + "\n", StandardCharsets.UTF_8);
            return chosen;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or record the public URL in " + file, e);
        }
    }
}
