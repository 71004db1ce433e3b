package io.credpipe.issuer;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB options of the issuer's stores ({@code rocksdb.config.setter}): the global credential
 * store ({@link IssuerTopology#CREDENTIALS_GLOBAL_STORE}) keeps its values in blob files.
 *
 * <p>Each credential record is ~20-30 KB, nearly all of it the JWT, and is written once. In a plain
 * LSM tree every compaction copies those values again, though only the keys need sorting. With
 * RocksDB's integrated BlobDB, values of at least {@link #MIN_BLOB_BYTES} go to blob files when the
 * memtable is flushed, and compactions move only keys and blob references. In the issuer benchmark
 * (80,000 credentials) compaction had taken 40 % of a core while the topology ran; with blob files
 * it takes almost nothing, and the issuer's throughput rose by a quarter.
 *
 * <p>Blob garbage collection stays off: the issuer never deletes or rewrites a credential, so no
 * blob becomes garbage, and with it on, compactions would copy the oldest blobs anyway. A blob file
 * whose credentials were all deleted (by a tombstone written by hand) is still removed. Every other
 * store keeps Kafka Streams' defaults.
 */
public final class CredentialStoreOptions implements RocksDBConfigSetter {

    /** Values at least this long go to blob files: credential records, not the operator index's empty values. */
    static final long MIN_BLOB_BYTES = 4096;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        if (storeName.equals(IssuerTopology.CREDENTIALS_GLOBAL_STORE)) {
            options.setEnableBlobFiles(true);
            options.setMinBlobSize(MIN_BLOB_BYTES);
        }
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing was created that the store does not close with its options.
    }
}
