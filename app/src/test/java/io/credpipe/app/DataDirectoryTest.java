package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

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
}
