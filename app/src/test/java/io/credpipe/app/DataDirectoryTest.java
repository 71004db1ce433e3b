package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void aNewDataDirectoryIsOwnerOnly() throws Exception {
        Path data = DataDirectory.secure(temp.resolve("data"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    }

    @Test
    void anOpenDataDirectoryIsTightenedAndKeepsItsFiles() throws Exception {
        Path data = Files.createDirectory(temp.resolve("data"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(data.resolve("kept"), "x");

        DataDirectory.secure(data);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(data.resolve("kept")).hasContent("x");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsRefusedInOneLine() throws Exception {
        Files.writeString(temp.resolve("file"), "x");

        assertThatThrownBy(() -> DataDirectory.secure(temp.resolve("file").resolve("data")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(temp.resolve("file").resolve("data").toString())
                .hasMessageContaining("Not a directory")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aWritableDataDirectoryPassesAndKeepsNoProbeFile() throws Exception {
        Path data = DataDirectory.secure(temp.resolve("data"));
        Files.createDirectories(data.resolve("kafka"));
        Files.createDirectories(data.resolve("keys"));

        DataDirectory.requireWritable(data, 0);

        try (var files = Files.walk(data)) {
            assertThat(files.map(data::relativize).map(Path::toString).sorted().toList()).containsExactly("", "kafka", "keys");
        }
    }

    @Test
    void tooLittleFreeSpaceIsRefusedInOneLine() {
        Path data = DataDirectory.secure(temp.resolve("data"));

        assertThatThrownBy(() -> DataDirectory.requireWritable(data, Long.MAX_VALUE))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("MiB free")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aSubdirectoryThatCannotBeWrittenIsNamed() throws Exception {
        // Root writes through permission bits; DiskFaultIT covers a read-only mount instead.
        assumeFalse("root".equals(System.getProperty("user.name")), "running as root: permissions do not stop writes");
        Path data = DataDirectory.secure(temp.resolve("data"));
        Path kafka = Files.createDirectories(data.resolve("kafka"));
        Files.setPosixFilePermissions(kafka, PosixFilePermissions.fromString("r-x------"));
        try {
            assertThatThrownBy(() -> DataDirectory.requireWritable(data, 0))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(kafka.toString())
                    .hasMessageContaining("cannot be written");
        } finally {
            Files.setPosixFilePermissions(kafka, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
