package io.credpipe.issuer.stream;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocksDB options of the issuer's stores ({@code rocksdb.config.setter}): the global credential
 * store ({@link IssuerTopology#CREDENTIALS_GLOBAL_STORE}) keeps its values in blob files, written
 * with direct I/O where the state directory allows it.
 *
 * <p>Each credential record is ~20 KB, nearly all of it the JWT, and is written once. In a plain
 * LSM tree every compaction copies those values again, though only the keys need sorting. With
 * RocksDB's integrated BlobDB, values of at least {@link #MIN_BLOB_BYTES} go to blob files when the
 * memtable is flushed, and compactions move only keys and blob references. In the issuer benchmark
 * (80,000 credentials) compaction had taken 40 % of a core while the topology ran; with blob files
 * it takes almost nothing, and the issuer's throughput rose by a quarter.
 *
 * <p>Blob garbage collection stays off: the issuer never deletes or rewrites a credential, so no
 * blob becomes garbage, and with it on, compactions would copy the oldest blobs anyway. A blob file
 * whose credentials were all deleted (by a tombstone written by hand) is still removed.
 *
 * <p>Flushes and compactions write with {@code O_DIRECT} ({@code use_direct_io_for_flush_and_compaction})
 * when the state directory's file system supports it: the blob files are written once and read
 * only when someone asks for a credential, so copying every byte into the page cache on the way
 * out bought nothing, and that copy was most of the flush thread's CPU (in the benchmark about a
 * fifth of a core, in the kernel's {@code copy_folio_from_iter_atomic}). Not every file system
 * takes {@code O_DIRECT} (tmpfs before Linux 6.6, some FUSE and network file systems); RocksDB
 * would then fail its first flush, so the directory is tried first and keeps buffered writes if
 * it refuses. Reads stay buffered. Every other store keeps Kafka Streams' defaults.
 */
public final class CredentialStoreOptions implements RocksDBConfigSetter {

    /** Values at least this long go to blob files: credential records, not the operator index's empty values. */
    static final long MIN_BLOB_BYTES = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(CredentialStoreOptions.class);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        if (storeName.equals(IssuerTopology.CREDENTIALS_GLOBAL_STORE)) {
            Object stateDir = configs.get(StreamsConfig.STATE_DIR_CONFIG);
            boolean directIo = stateDir != null && supportsDirectIo(Path.of(stateDir.toString()));
            LOG.info("store {} keeps credentials in blob files, written {}", storeName,
                    directIo ? "with direct I/O" : "through the page cache (no O_DIRECT in the state directory)");
            setConfig(options, directIo);
        }
    }

    /** The credential store's options; {@code directIo} when its directory takes {@code O_DIRECT}. */
    static void setConfig(Options options, boolean directIo) {
        options.setEnableBlobFiles(true);
        options.setMinBlobSize(MIN_BLOB_BYTES);
        options.setUseDirectIoForFlushAndCompaction(directIo);
    }

    /**
     * Whether a file in {@code directory} can be opened for writing with {@code O_DIRECT}, tried with
     * a file of its own that is removed again. {@code false} for a directory that does not exist.
     */
    static boolean supportsDirectIo(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        Path probe = directory.resolve(".direct-io-probe-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()));
        try (FileChannel ignored = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // A leftover empty probe file harms nothing; the answer above stands.
            }
        }
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing was created that the store does not close with its options.
    }
}
