package dev.kaskade.workers.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oci://} against a loopback registry implementing the distribution API's pull paths ({@code
 * /v2/<name>/manifests/<ref>}, {@code /v2/<name>/blobs/<digest>}) and the token flow of a {@code
 * Bearer} challenge.
 */
class OciStorageTest {
  private static final byte[] WEIGHTS = "onnx-weights".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, String> env = new ConcurrentHashMap<>();
  private FakeServer registry;
  private StorageSettings settings;
  private String manifestDigest;

  @BeforeEach
  void start() throws IOException {
    registry = new FakeServer(this::registry);
    byte[] modelcar = tarGz(Map.of("models/model.onnx", WEIGHTS, "etc/os-release", new byte[] {1}));
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] labels = "setosa\nversicolor\n".getBytes(StandardCharsets.UTF_8);
    byte[] manifest =
        ApiHttp.JSON.writeValueAsBytes(
            Map.of(
                "schemaVersion",
                2,
                "mediaType",
                "application/vnd.oci.image.manifest.v1+json",
                "config",
                descriptor("application/vnd.oci.image.config.v1+json", config, Map.of()),
                "layers",
                List.of(
                    descriptor("application/vnd.oci.image.layer.v1.tar+gzip", modelcar, Map.of()),
                    descriptor(
                        "text/plain",
                        labels,
                        Map.of("org.opencontainers.image.title", "models/labels.txt")))));
    manifestDigest = "sha256:" + StorageInitializer.sha256Hex(manifest);
    manifests.put("v1", manifest);
    manifests.put(manifestDigest, manifest);
    manifests.put(
        "multi",
        ApiHttp.JSON.writeValueAsBytes(
            Map.of(
                "schemaVersion",
                2,
                "mediaType",
                "application/vnd.oci.image.index.v1+json",
                "manifests",
                List.of(
                    Map.of(
                        "digest",
                        "sha256:" + "0".repeat(64),
                        "platform",
                        Map.of("os", "linux", "architecture", "arm64")),
                    Map.of(
                        "digest",
                        manifestDigest,
                        "platform",
                        Map.of("os", "linux", "architecture", "amd64"))))));
    settings =
        StorageSettings.defaults(dir.resolve("cache"))
            .withEnv(env::get)
            .withRetries(2, Duration.ofMillis(5));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private Map<String, Object> descriptor(String type, byte[] content, Map<String, String> notes) {
    String digest = "sha256:" + StorageInitializer.sha256Hex(content);
    blobs.put(digest, content);
    return Map.of(
        "mediaType", type, "digest", digest, "size", content.length, "annotations", notes);
  }

  private void registry(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (path.equals("/token")) {
      String basic = ex.getRequestHeaders().getFirst("Authorization");
      boolean ok =
          basic != null
              && basic.equals(
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString("robot:pw".getBytes(StandardCharsets.UTF_8)));
      boolean scoped = "repository:models/iris:pull".equals(FakeServer.query(ex).get("scope"));
      FakeServer.json(ex, ok && scoped ? 200 : 401, Map.of("token", "reg-token"));
      return;
    }
    if (!"Bearer reg-token".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      ex.getResponseHeaders()
          .set(
              "WWW-Authenticate",
              "Bearer realm=\""
                  + registry.url()
                  + "/token\",service=\"test\",scope=\"repository:models/iris:pull\"");
      FakeServer.send(ex, 401, null, null);
      return;
    }
    String prefix = "/v2/models/iris/";
    if (path.startsWith(prefix + "manifests/")) {
      byte[] m = manifests.get(path.substring((prefix + "manifests/").length()));
      FakeServer.send(ex, m == null ? 404 : 200, "application/vnd.oci.image.manifest.v1+json", m);
    } else if (path.startsWith(prefix + "blobs/")) {
      byte[] b = blobs.get(path.substring((prefix + "blobs/").length()));
      FakeServer.send(ex, b == null ? 404 : 200, "application/octet-stream", b);
    } else {
      FakeServer.send(ex, 404, null, null);
    }
  }

  private String uri(String reference) {
    return "oci://127.0.0.1:" + registry.port() + "/models/iris" + reference;
  }

  @Test
  void pullsTheImageLayersAndServesItsModelsDirectory() throws Exception {
    env.put("OCI_USERNAME", "robot");
    env.put("OCI_PASSWORD", "pw");
    Path model = StorageInitializer.resolve(uri(":v1"), settings, Map.of());
    assertThat(model.getFileName()).hasToString("models");
    assertThat(model.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
    assertThat(model.resolve("labels.txt")).hasContent("setosa\nversicolor\n");
    assertThat(registry.requests)
        .extracting(FakeServer.Request::path)
        .contains("/v2/models/iris/manifests/v1");
    // by digest, and through an image index that picks linux/amd64
    assertThat(StorageInitializer.resolve(uri("@" + manifestDigest), settings, Map.of()))
        .isDirectory();
    assertThat(StorageInitializer.resolve(uri(":multi"), settings, Map.of()).resolve("model.onnx"))
        .hasBinaryContent(WEIGHTS);
  }

  @Test
  void failsWithAccessDeniedWhenTheRegistryRefusesTheCredentials() {
    env.put("OCI_USERNAME", "robot");
    env.put("OCI_PASSWORD", "wrong");
    assertThatThrownBy(() -> StorageInitializer.resolve(uri(":v1"), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED))
        .hasMessageContaining("token")
        .hasMessageNotContaining("wrong");
  }

  @Test
  void failsWithChecksumMismatchWhenALayerDiffersFromItsDigest() {
    env.put("OCI_USERNAME", "robot");
    env.put("OCI_PASSWORD", "pw");
    blobs.replaceAll((digest, bytes) -> bytes.length < 40 ? "evil".getBytes() : bytes);
    assertThatThrownBy(() -> StorageInitializer.resolve(uri(":v1"), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CHECKSUM_MISMATCH))
        .hasMessageContaining("has sha256");
  }

  @Test
  void reportsAMissingTagAndABadReferenceClearly() {
    env.put("OCI_USERNAME", "robot");
    env.put("OCI_PASSWORD", "pw");
    assertThatThrownBy(() -> StorageInitializer.resolve(uri(":v9"), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("models/iris:v9 manifest");
    for (String bad : List.of("oci://", "oci://host/Upper:tag", "oci://host/repo@sha256:12")) {
      assertThatThrownBy(() -> StorageInitializer.resolve(bad, settings, Map.of()))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_URI));
    }
  }

  @Test
  void refusesAnImageOverTheDownloadLimit() {
    StorageSettings small =
        settings.withPolicy(StoragePolicy.from(Map.of(StoragePolicy.MAX_DOWNLOAD_BYTES, "16")));
    env.put("OCI_USERNAME", "robot");
    env.put("OCI_PASSWORD", "pw");
    assertThatThrownBy(() -> StorageInitializer.resolve(uri(":v1"), small, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
    assertThat(registry.requests).noneMatch(r -> r.path().contains("/blobs/"));
  }

  static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      for (var e : new java.util.TreeMap<>(entries).entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
