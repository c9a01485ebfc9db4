package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirPermissionsTest {
  @TempDir Path tmp;

  @Test
  void dataDirIsCreatedOwnerOnlyAndAnExistingOneIsTightened() throws Exception {
    Path fresh = DataDirOption.createPrivate(tmp.resolve("a").resolve(".kaskade"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
        .isEqualTo("rwx------");
    Path existing =
        Files.createDirectory(
            tmp.resolve("open"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    DataDirOption.createPrivate(existing);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing)))
        .isEqualTo("rwx------");
  }

  @Test
  void instanceFileIsReadableByTheOwnerOnly() throws Exception {
    new InstanceFile("127.0.0.1:9092", "http://127.0.0.1:8081", 8080, 8081, 1L).write(tmp);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(InstanceFile.path(tmp))))
        .isEqualTo("rw-------");
    assertThat(InstanceFile.read(tmp).httpPort()).isEqualTo(8080);
  }
}
