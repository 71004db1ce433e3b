package io.credpipe.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.model.auth.Caller;
import io.credpipe.model.problem.ProblemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyStoreTest {

    @TempDir Path dir;

    @Test
    void aCreatedKeyAuthenticatesAsItsSource() {
        ApiKeyStore store = new ApiKeyStore(dir);
        ApiKeyStore.CreatedKey hr1 = store.create("hr1", false);
        ApiKeyStore.CreatedKey admin = store.create("ops", true);

        assertThat(hr1.key()).startsWith(ApiKeyStore.KEY_PREFIX).hasSize(ApiKeyStore.KEY_PREFIX.length() + 43);
        assertThat(store.authenticate(hr1.key())).contains(new Caller("hr1", false));
        assertThat(store.authenticate(admin.key())).contains(new Caller("ops", true));
        assertThat(store.authenticate(hr1.key() + "x")).isEmpty();
        assertThat(store.authenticate("")).isEmpty();
        assertThat(store.authenticate(null)).isEmpty();
        assertThat(hr1.toString()).doesNotContain(hr1.key());
    }

    @Test
    void theFileHoldsOnlyDigestsAndOnlyItsOwnerMayReadIt() throws Exception {
        ApiKeyStore store = new ApiKeyStore(dir);
        ApiKeyStore.CreatedKey hr1 = store.create("hr1", false);

        String file = Files.readString(store.file());
        assertThat(file).doesNotContain(hr1.key()).contains(ApiKeyStore.digest(hr1.key()));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        }
    }

    @Test
    void aCorruptOrEmptiedKeyFileFailsClosedWith503UntilRepaired() throws Exception {
        ApiKeyStore store = new ApiKeyStore(dir);
        ApiKeyStore.CreatedKey hr1 = store.create("hr1", false);
        byte[] good = Files.readAllBytes(store.file());

        for (String damage : new String[] {"", "{\"not\": \"a list\"", "[{\"source\": \"hr1\"}]", "null", "\u0000\u0001"}) {
            Files.writeString(store.file(), damage);
            assertThatThrownBy(() -> store.authenticate(hr1.key()))
                    .as("damage %s", damage)
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.problem().status()).isEqualTo(503);
                        assertThat(e.problem().type()).endsWith("/credentials-unavailable");
                        assertThat(e.headers()).containsKey("Retry-After");
                    });
            // Asked again: the same answer from the remembered broken version, not a 500.
            assertThatThrownBy(() -> store.authenticate(hr1.key())).isInstanceOf(ProblemException.class);
            // Managing keys refuses to overwrite what it could not read.
            assertThatThrownBy(() -> store.create("hr9", false)).isInstanceOf(ApiKeyStore.UnreadableStore.class);
        }

        Files.write(store.file(), good);
        Files.setLastModifiedTime(store.file(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(store.authenticate(hr1.key())).contains(new Caller("hr1", false));
    }

    @Test
    void keysCreatedOrRevokedElsewhereApplyWithoutRestart() {
        ApiKeyStore server = new ApiKeyStore(dir);
        assertThat(server.authenticate("cpk_unknown")).isEmpty();

        ApiKeyStore.CreatedKey hr2 = new ApiKeyStore(dir).create("hr2", false);
        assertThat(server.authenticate(hr2.key())).contains(new Caller("hr2", false));

        assertThat(new ApiKeyStore(dir).revoke("hr2")).isTrue();
        assertThat(server.authenticate(hr2.key())).isEmpty();
        assertThat(server.revoke("hr2")).isFalse();
    }

    @Test
    void listShowsSourcesNeverKeys() {
        ApiKeyStore store = new ApiKeyStore(dir);
        store.create("hr2", false);
        store.create("hr1", true);

        assertThat(store.list()).extracting(ApiKeyStore.SourceKey::source).containsExactly("hr1", "hr2");
        assertThat(store.list()).extracting(ApiKeyStore.SourceKey::admin).containsExactly(true, false);
    }

    @Test
    void aSourceHasOneKeyAndAPlainName() {
        ApiKeyStore store = new ApiKeyStore(dir);
        store.create("hr1", false);

        assertThatThrownBy(() -> store.create("hr1", false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> store.create("HR 1", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("../x", false)).isInstanceOf(IllegalArgumentException.class);
        store.revoke("hr1");
        assertThat(store.create("hr1", false).key()).isNotBlank();
    }

    @Test
    void rotatingReplacesTheKey() {
        ApiKeyStore store = new ApiKeyStore(dir);
        ApiKeyStore.CreatedKey old = store.create("demo-hr", false);

        ApiKeyStore.CreatedKey fresh = store.rotate("demo-hr", false);

        assertThat(store.authenticate(old.key())).isEmpty();
        assertThat(store.authenticate(fresh.key())).contains(new Caller("demo-hr", false));
        assertThat(store.rotate("new-source", true).key()).isNotBlank();
    }
}
