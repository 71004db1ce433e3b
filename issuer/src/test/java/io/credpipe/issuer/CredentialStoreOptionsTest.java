package io.credpipe.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** Only the global credential store keeps its values in blob files. */
class CredentialStoreOptionsTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void theCredentialStoreKeepsLargeValuesInBlobFilesWithoutGarbageCollection() {
        try (Options options = new Options()) {
            new CredentialStoreOptions().setConfig(IssuerTopology.CREDENTIALS_GLOBAL_STORE, options, Map.of());

            assertThat(options.enableBlobFiles()).isTrue();
            assertThat(options.minBlobSize()).isEqualTo(CredentialStoreOptions.MIN_BLOB_BYTES);
            assertThat(options.enableBlobGarbageCollection()).isFalse();
        }
    }

    @Test
    void everyOtherStoreKeepsTheDefaults() {
        for (String store : new String[] {IssuerTopology.ISSUED_STORE, IssuerTopology.STATUS_ALLOCATIONS_STORE,
                IssuerTopology.FRAMEWORKS_STORE}) {
            try (Options options = new Options()) {
                new CredentialStoreOptions().setConfig(store, options, Map.of());

                assertThat(options.enableBlobFiles()).as(store).isFalse();
            }
        }
    }
}
