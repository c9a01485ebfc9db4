package dev.kaskade.workers.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gs://} with the real google-cloud-storage client against a loopback server speaking the
 * GCS JSON API's read paths ({@code /storage/v1/b/{bucket}/o?prefix=} to list, {@code
 * …/o/{object}?alt=media} to read), reached through {@code STORAGE_EMULATOR_HOST}. No GCS emulator
 * ships on Maven Central or npm (fake-gcs-server is a Go binary), so the server is this test's.
 */
class GcsStorageTest {
  private static final byte[] WEIGHTS = "onnx-weights".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LABELS = "setosa\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final Map<String, String> listedMd5 = new ConcurrentHashMap<>();
  private final Map<String, String> env = new ConcurrentHashMap<>();
  private FakeServer gcs;
  private StorageSettings settings;

  @BeforeEach
  void start() throws IOException {
    objects.put("models/iris/model.onnx", WEIGHTS);
    objects.put("models/iris/meta/labels.txt", LABELS);
    objects.put("models/iris2/model.onnx", "other".getBytes(StandardCharsets.UTF_8));
    gcs = new FakeServer(this::gcs);
    env.put("STORAGE_EMULATOR_HOST", gcs.url());
    settings =
        StorageSettings.defaults(dir.resolve("cache"))
            .withEnv(env::get)
            .withRetries(2, Duration.ofMillis(5));
  }

  @AfterEach
  void stop() {
    gcs.close();
  }

  private void gcs(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath().replaceFirst("^/download", "");
    if (path.equals("/token")) {
      // the service account's signed JWT is exchanged for an access token here
      FakeServer.json(
          ex, 200, Map.of("access_token", "ya29.test", "expires_in", 3600, "token_type", "Bearer"));
      return;
    }
    String[] parts = path.split("/", 7); // "", storage, v1, b, bucket, o, object
    if (parts.length < 6 || !parts[4].equals("models-bucket")) {
      FakeServer.json(ex, 404, Map.of("error", Map.of("code", 404, "message", "No such bucket")));
      return;
    }
    if (parts.length == 6) {
      String prefix = FakeServer.query(ex).getOrDefault("prefix", "");
      List<Map<String, Object>> items = new ArrayList<>();
      new TreeMap<>(objects)
          .forEach(
              (name, bytes) -> {
                if (name.startsWith(prefix)) {
                  items.add(resource(name, bytes));
                }
              });
      FakeServer.json(ex, 200, Map.of("kind", "storage#objects", "items", items));
      return;
    }
    String name = URLDecoder.decode(parts[6], StandardCharsets.UTF_8);
    byte[] bytes = objects.get(name);
    if (bytes == null) {
      FakeServer.json(ex, 404, Map.of("error", Map.of("code", 404, "message", "No such object")));
    } else if ("media".equals(FakeServer.query(ex).get("alt"))) {
      ex.getResponseHeaders().set("x-goog-generation", "1");
      FakeServer.send(ex, 200, "application/octet-stream", bytes);
    } else {
      FakeServer.json(ex, 200, resource(name, bytes));
    }
  }

  private Map<String, Object> resource(String name, byte[] bytes) {
    String md5 =
        listedMd5.getOrDefault(
            name, Base64.getEncoder().encodeToString(ApiHttp.digest("MD5").digest(bytes)));
    return Map.of(
        "kind",
        "storage#object",
        "bucket",
        "models-bucket",
        "name",
        name,
        "generation",
        "1",
        "size",
        String.valueOf(bytes.length),
        "md5Hash",
        md5);
  }

  @Test
  void downloadsEveryObjectUnderThePrefixAnonymously() throws Exception {
    Path model = StorageInitializer.resolve("gs://models-bucket/models/iris", settings, Map.of());
    assertThat(model.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
    assertThat(model.resolve("meta/labels.txt")).hasBinaryContent(LABELS);
    assertThat(Files.exists(model.resolve("../iris2"))).isFalse();
    assertThat(gcs.requests).allMatch(r -> r.authorization() == null);
    // one object: the file itself
    Path single =
        StorageInitializer.resolve("gs://models-bucket/models/iris/model.onnx", settings, Map.of());
    assertThat(single).hasBinaryContent(WEIGHTS).hasFileName("model.onnx");
  }

  @Test
  void failsWithChecksumMismatchWhenTheBytesDifferFromTheListedMd5() {
    listedMd5.put("models/iris/model.onnx", "AAAAAAAAAAAAAAAAAAAAAA==");
    assertThatThrownBy(
            () -> StorageInitializer.resolve("gs://models-bucket/models/iris", settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CHECKSUM_MISMATCH))
        .hasMessageContaining("has MD5");
  }

  @Test
  void reportsMissingObjectsAndBucketsAsNotFound() {
    assertThatThrownBy(
            () -> StorageInitializer.resolve("gs://models-bucket/nothing/here", settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("no objects under gs://models-bucket/nothing/here");
    assertThatThrownBy(() -> StorageInitializer.resolve("gs://other/m", settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("HTTP 404");
  }

  @Test
  void refusesAPrefixOverTheLimitsOrADeniedEndpoint() {
    StorageSettings few =
        settings.withPolicy(StoragePolicy.from(Map.of(StoragePolicy.MAX_ENTRIES, "1")));
    assertThatThrownBy(
            () -> StorageInitializer.resolve("gs://models-bucket/models/iris", few, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
        .hasMessageContaining(StoragePolicy.MAX_ENTRIES);
    StorageSettings denied =
        settings.withPolicy(StoragePolicy.from(Map.of(StoragePolicy.DENIED_HOSTS, "127.0.0.1")));
    assertThatThrownBy(
            () -> StorageInitializer.resolve("gs://models-bucket/models", denied, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
  }

  @Test
  void signsInWithTheServiceAccountJsonAndSendsItsToken() throws Exception {
    var keys = java.security.KeyPairGenerator.getInstance("RSA");
    keys.initialize(2048);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder()
                .encodeToString(keys.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> account =
        Map.of(
            "type", "service_account",
            "project_id", "demo",
            "private_key_id", "k1",
            "private_key", pem,
            "client_email", "loader@demo.iam.gserviceaccount.com",
            "client_id", "1",
            "token_uri", gcs.url() + "/token");
    Path key = dir.resolve("sa.json");
    Files.write(key, ApiHttp.JSON.writeValueAsBytes(account));
    env.put("GOOGLE_APPLICATION_CREDENTIALS", key.toString());
    Path model = StorageInitializer.resolve("gs://models-bucket/models/iris", settings, Map.of());
    assertThat(model.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
    assertThat(gcs.requests)
        .filteredOn(r -> r.path().startsWith("/storage") || r.path().startsWith("/download"))
        .isNotEmpty()
        .allMatch(r -> "Bearer ya29.test".equals(r.authorization()));
  }

  @Test
  void reportsAnUnreadableServiceAccountFileWithoutItsContent() throws Exception {
    Path key = Files.writeString(dir.resolve("sa.json"), "{\"private_key\":\"s3cr3t\"");
    env.put("GOOGLE_APPLICATION_CREDENTIALS", key.toString());
    assertThatThrownBy(
            () -> StorageInitializer.resolve("gs://models-bucket/models/iris", settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED))
        .hasMessageContaining("not a readable service-account JSON")
        .hasMessageNotContaining("s3cr3t");
  }
}
