package io.credpipe.issuer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** Only the global credential store keeps its values in blob files, written with direct I/O where it can. */
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
            assertThat(options.useDirectIoForFlushAndCompaction()).as("no state directory to probe").isFalse();
        }
    }

    @Test
    void theCredentialStoreWritesWithDirectIoWhenItsStateDirectoryTakesIt(@TempDir Path stateDir) throws IOException {
        boolean supported = CredentialStoreOptions.supportsDirectIo(stateDir);
        try (Options options = new Options()) {
            new CredentialStoreOptions().setConfig(IssuerTopology.CREDENTIALS_GLOBAL_STORE, options,
                    Map.of(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));

            assertThat(options.useDirectIoForFlushAndCompaction()).isEqualTo(supported);
        }
        try (var left = Files.list(stateDir)) {
            assertThat(left).as("the probe file is removed").isEmpty();
        }
        for (boolean directIo : new boolean[] {true, false}) {
            try (Options options = new Options()) {
                CredentialStoreOptions.setConfig(options, directIo);

                assertThat(options.useDirectIoForFlushAndCompaction()).isEqualTo(directIo);
                assertThat(options.enableBlobFiles()).isTrue();
            }
        }
    }

    @Test
    void aStateDirectoryThatCannotBeTriedKeepsBufferedWrites(@TempDir Path dir) throws IOException {
        Path file = Files.createFile(dir.resolve("not-a-directory"));

        assertThat(CredentialStoreOptions.supportsDirectIo(dir.resolve("missing"))).isFalse();
        assertThat(CredentialStoreOptions.supportsDirectIo(file)).isFalse();
        try (Options options = new Options()) {
            new CredentialStoreOptions().setConfig(IssuerTopology.CREDENTIALS_GLOBAL_STORE, options,
                    Map.of(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("missing").toString()));

            assertThat(options.useDirectIoForFlushAndCompaction()).isFalse();
        }
    }

    @Test
    void everyOtherStoreKeepsTheDefaults(@TempDir Path stateDir) {
        for (String store : new String[] {IssuerTopology.ISSUED_STORE, IssuerTopology.STATUS_ALLOCATIONS_STORE,
                IssuerTopology.FRAMEWORKS_STORE}) {
            try (Options options = new Options()) {
                new CredentialStoreOptions().setConfig(store, options,
                        Map.of(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));

                assertThat(options.enableBlobFiles()).as(store).isFalse();
                assertThat(options.useDirectIoForFlushAndCompaction()).as(store).isFalse();
            }
        }
    }
}
