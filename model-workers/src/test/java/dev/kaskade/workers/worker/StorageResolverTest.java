package dev.kaskade.workers.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageResolverTest {
  @TempDir Path dir;

  @Test
  void aModelOnALocalCacheVolumeIsUsedInsteadOfFetchingIt() throws Exception {
    Path mounted = Files.createDirectories(dir.resolve("mnt/models"));
    StorageResolver fetching =
        (uri, annotations) -> {
          throw new AssertionError("fetched " + uri);
        };
    StorageResolver resolver =
        StorageResolver.withLocalCopies(fetching, "s3://models/llama=" + mounted);
    assertThat(resolver.resolve("s3://models/llama", Map.of())).isEqualTo(mounted);
  }

  @Test
  void otherUrisAndMissingCopiesAreFetchedAsBefore() throws Exception {
    StorageResolver fetching = (uri, annotations) -> dir.resolve("fetched");
    StorageResolver resolver =
        StorageResolver.withLocalCopies(fetching, "s3://models/llama=" + dir.resolve("absent"));
    assertThat(resolver.resolve("s3://models/llama", Map.of())).isEqualTo(dir.resolve("fetched"));
    assertThat(resolver.resolve("s3://other", Map.of())).isEqualTo(dir.resolve("fetched"));
  }
}
