package dev.kaskade.workers.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hf://} against a loopback server that speaks the hub's API paths: {@code
 * /api/models/{repo}/revision/{rev}?blobs=true} and {@code /{repo}/resolve/{commit}/{file}}, with
 * LFS files redirected to a second host (as the hub sends them to its CDN).
 */
class HfStorageTest {
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final byte[] CONFIG = "{\"model_type\":\"bert\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WEIGHTS = "onnx-weights".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VOCAB = "[PAD]\n[UNK]\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  private FakeServer cdn;
  private FakeServer hub;
  private StorageSettings settings;
  private final Map<String, String> env = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    served.put("config.json", CONFIG);
    served.put("model.onnx", WEIGHTS);
    served.put("tokenizer/vocab.txt", VOCAB);
    cdn = new FakeServer(ex -> FakeServer.send(ex, 200, null, served.get(file(ex, "/cdn/"))));
    hub = new FakeServer(this::hub);
    env.put("HF_ENDPOINT", hub.url());
    settings =
        StorageSettings.defaults(dir.resolve("cache"))
            .withEnv(env::get)
            .withRetries(2, Duration.ofMillis(5));
  }

  @AfterEach
  void stop() {
    hub.close();
    cdn.close();
  }

  private static String file(HttpExchange ex, String prefix) {
    return ex.getRequestURI().getPath().substring(prefix.length());
  }

  private void hub(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    boolean privateRepo = path.contains("/private/");
    if (privateRepo
        && !"Bearer hf_secret".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      FakeServer.send(ex, 401, null, null);
      return;
    }
    if (path.matches("/api/models/(org|private)/tiny/revision/(main|v1)")) {
      FakeServer.json(ex, 200, info());
    } else if (path.matches("/(org|private)/tiny/resolve/" + COMMIT + "/.*")) {
      String name = path.substring(path.indexOf(COMMIT) + COMMIT.length() + 1);
      if (name.equals("model.onnx")) {
        // a different host name for the same loopback address, like the hub's CDN
        FakeServer.redirect(ex, "http://localhost:" + cdn.port() + "/cdn/" + name);
      } else {
        FakeServer.send(ex, 200, null, served.get(name));
      }
    } else {
      FakeServer.json(ex, 404, Map.of("error", "Repository not found"));
    }
  }

  private static Map<String, Object> info() {
    return Map.of(
        "id",
        "org/tiny",
        "sha",
        COMMIT,
        "siblings",
        List.of(
            Map.of("rfilename", ".gitattributes", "size", 10, "blobId", "x"),
            Map.of("rfilename", "config.json", "size", CONFIG.length, "blobId", gitBlob(CONFIG)),
            Map.of(
                "rfilename",
                "model.onnx",
                "size",
                WEIGHTS.length,
                "blobId",
                "unused",
                "lfs",
                Map.of(
                    "sha256",
                    StorageInitializer.sha256Hex(WEIGHTS),
                    "size",
                    WEIGHTS.length,
                    "pointerSize",
                    130)),
            Map.of(
                "rfilename",
                "tokenizer/vocab.txt",
                "size",
                VOCAB.length,
                "blobId",
                gitBlob(VOCAB))));
  }

  private static String gitBlob(byte[] content) {
    var sha1 = ApiHttp.digest("SHA-1");
    sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha1.digest(content));
  }

  @Test
  void downloadsEveryFileOfTheRepoPinnedToTheListedCommit() throws Exception {
    Path model = StorageInitializer.resolve("hf://org/tiny", settings, Map.of());
    assertThat(model.resolve("config.json")).hasBinaryContent(CONFIG);
    assertThat(model.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
    assertThat(model.resolve("tokenizer/vocab.txt")).hasBinaryContent(VOCAB);
    assertThat(model.resolve(".gitattributes")).doesNotExist();
    assertThat(hub.requests)
        .extracting(FakeServer.Request::path)
        .contains("/api/models/org/tiny/revision/main?blobs=true")
        .contains("/org/tiny/resolve/" + COMMIT + "/config.json");
    // a second resolve is served from the cache
    int before = hub.requests.size();
    assertThat(StorageInitializer.resolve("hf://org/tiny", settings, Map.of())).isEqualTo(model);
    assertThat(hub.requests).hasSize(before);
  }

  @Test
  void asksForTheRevisionAfterTheAtSign() throws Exception {
    StorageInitializer.resolve("hf://org/tiny@v1", settings, Map.of());
    assertThat(hub.requests)
        .extracting(FakeServer.Request::path)
        .contains("/api/models/org/tiny/revision/v1?blobs=true");
  }

  @Test
  void sendsTheTokenToTheHubButNotToTheCdnItRedirectsTo() throws Exception {
    assertThatThrownBy(() -> StorageInitializer.resolve("hf://private/tiny", settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED))
        .hasMessageContaining("returned 401");
    env.put("HF_TOKEN", "hf_secret");
    Path model = StorageInitializer.resolve("hf://private/tiny", settings, Map.of());
    assertThat(model.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
    assertThat(hub.requests).anyMatch(r -> "Bearer hf_secret".equals(r.authorization()));
    assertThat(cdn.requests).isNotEmpty().allMatch(r -> r.authorization() == null);
  }

  @Test
  void failsWithChecksumMismatchWhenAFileDiffersFromTheListedHash() {
    served.put("model.onnx", "tampered".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> StorageInitializer.resolve("hf://org/tiny", settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CHECKSUM_MISMATCH))
        .hasMessageContaining("model.onnx sha256");
    served.put("model.onnx", WEIGHTS);
    served.put("config.json", "{}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> StorageInitializer.resolve("hf://org/tiny", settings, Map.of()))
        .hasMessageContaining("config.json git blob id");
    assertThat(dir.resolve("cache")).isEmptyDirectory();
  }

  @Test
  void reportsAnUnknownRepoAndABadUriClearly() throws Exception {
    assertThatThrownBy(() -> StorageInitializer.resolve("hf://org/missing", settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("model org/missing")
        .hasMessageContaining("404");
    for (String bad : List.of("hf://", "hf://a/b/c", "hf://org/../x", "hf://org/tiny@")) {
      assertThatThrownBy(() -> StorageInitializer.resolve(bad, settings, Map.of()))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_URI));
    }
  }

  @Test
  void refusesARepoOverTheOperatorsLimitsBeforeDownloading() {
    StorageSettings small =
        settings.withPolicy(StoragePolicy.from(Map.of(StoragePolicy.MAX_DOWNLOAD_BYTES, "20")));
    assertThatThrownBy(() -> StorageInitializer.resolve("hf://org/tiny", small, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
        .hasMessageContaining(StoragePolicy.MAX_DOWNLOAD_BYTES);
    assertThat(hub.requests).noneMatch(r -> r.path().contains("/resolve/"));
    StorageSettings denied =
        settings.withPolicy(StoragePolicy.from(Map.of(StoragePolicy.DENIED_HOSTS, "127.0.0.1")));
    assertThatThrownBy(() -> StorageInitializer.resolve("hf://org/tiny", denied, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
  }

  @Test
  void keepsTheCacheEntryOfOneMirrorApartFromAnother() throws Exception {
    Path first = StorageInitializer.resolve("hf://org/tiny", settings, Map.of());
    env.put("HF_ENDPOINT", "http://localhost:" + hub.port());
    Path second = StorageInitializer.resolve("hf://org/tiny", settings, Map.of());
    assertThat(second).isNotEqualTo(first);
    assertThat(Files.readAllBytes(second.resolve("model.onnx"))).isEqualTo(WEIGHTS);
  }
}
