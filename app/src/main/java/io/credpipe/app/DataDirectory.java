package io.credpipe.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The pipeline's data directory, kept owner-only. It holds the embedded broker's log (operators'
 * names and e-mail addresses), the Streams state and the issuer's keys; Kafka writes its files
 * with the process umask (usually world-readable), so the directory itself is what keeps other
 * users of the machine out: without search permission on it, nothing below can be opened.
 */
public final class DataDirectory {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private DataDirectory() {}

    /**
     * Creates {@code dir} if missing and makes it {@code rwx------}, tightening a directory an older
     * version left open. On a file system without POSIX permissions it is only created.
     *
     * @return {@code dir}
     * @throws UncheckedIOException when it cannot be created or its permissions cannot be set
     */
    public static Path secure(Path dir) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (Files.notExists(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createDirectories(dir);
                }
            }
            if (posix && !Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the data directory " + dir + " owner-only: " + e.getMessage(), e);
        }
    }
}
