package io.credpipe.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The pipeline's data directory, kept owner-only. It holds the embedded broker's log (operators'
 * names and e-mail addresses), the Streams state and the issuer's keys; Kafka writes its files
 * with the process umask (usually world-readable), so the directory itself is what keeps other
 * users of the machine out: without search permission on it, nothing below can be opened.
 */
public final class DataDirectory {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /**
     * The least free space a pipeline starts with. A fresh embedded start writes about 100 MB
     * (measured on tmpfs: preallocated segment indexes, the metadata log, RocksDB); with less than
     * this the broker would fail within seconds with a stack trace instead of a clear refusal.
     */
    public static final long MIN_FREE_BYTES = 64L * 1024 * 1024;

    private DataDirectory() {}

    /**
     * Refuses to start on a data directory that cannot take writes: {@code dir} and each directory
     * in it (the broker's log, Streams state, keys) must accept a new file, and the file system
     * must have {@code minFreeBytes} free. Each probe file is deleted at once, so nothing is left
     * behind either way. Without this check a read-only or full disk surfaces as a Kafka stack
     * trace and {@code Kafka broker halted with status 1}.
     *
     * @throws UncheckedIOException naming the directory and the reason, in one line
     */
    public static void requireWritable(Path dir, long minFreeBytes) {
        List<Path> dirs = new ArrayList<>(List.of(dir));
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(Files::isDirectory).sorted().forEach(dirs::add);
        } catch (IOException e) {
            throw unwritable(dir, e);
        }
        for (Path each : dirs) {
            try {
                Files.delete(Files.createTempFile(each, ".write-check-", ".tmp"));
            } catch (IOException e) {
                throw unwritable(each, e);
            }
        }
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw unwritable(dir, e);
        }
        if (free < minFreeBytes) {
            String message = String.format("the data directory %s has %d MiB free; credpipe needs at least %d MiB there: "
                    + "free space and start again", dir, free / (1024 * 1024), minFreeBytes / (1024 * 1024));
            throw new UncheckedIOException(message, new IOException(message));
        }
    }

    private static UncheckedIOException unwritable(Path dir, IOException e) {
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        return new UncheckedIOException("the data directory " + dir + " cannot be written (" + reason
                + "): make it writable by this user, or choose another with --data-dir", e);
    }

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
