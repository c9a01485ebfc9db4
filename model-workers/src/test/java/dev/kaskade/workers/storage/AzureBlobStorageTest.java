package dev.kaskade.workers.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.PublicAccessType;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure Blob URIs with the real azure-storage-blob client against Azurite, Microsoft's Blob
 * emulator (npm package {@code azurite}), reached through {@code AZURE_STORAGE_BLOB_ENDPOINT}. The
 * test looks for {@code azurite-blob} in {@code $AZURITE_BLOB}, {@code
 * model-workers/target/azurite/node_modules/.bin} ({@code npm install --prefix
 * model-workers/target/azurite azurite@3}) or on the PATH, and is skipped when there is none.
 */
class AzureBlobStorageTest {
  static final String ACCOUNT = "devstoreaccount1";
  static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final byte[] WEIGHTS = "onnx-weights".getBytes(StandardCharsets.UTF_8);
  private static Process azurite;
  private static String endpoint;
  private static Path workspace;
  private static String sas;

  @TempDir Path dir;
  private final Map<String, String> env = new ConcurrentHashMap<>();
  private StorageSettings settings;

  static Path azuriteBinary() {
    String given = System.getenv("AZURITE_BLOB");
    Stream<Path> candidates =
        Stream.concat(
            Stream.of(
                given == null ? null : Path.of(given),
                Path.of("target/azurite/node_modules/.bin/azurite-blob"),
                Path.of("model-workers/target/azurite/node_modules/.bin/azurite-blob")),
            Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(p -> Path.of(p, "azurite-blob")));
    return candidates.filter(p -> p != null && Files.isExecutable(p)).findFirst().orElse(null);
  }

  @BeforeAll
  static void startAzurite() throws Exception {
    Path binary = azuriteBinary();
    assumeTrue(binary != null, "azurite-blob not installed (npm install azurite@3); skipped");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    workspace = Files.createTempDirectory("kaskade-azurite");
    azurite =
        new ProcessBuilder(
                binary.toString(),
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                String.valueOf(port),
                "--location",
                workspace.toString(),
                "--silent",
                "--skipApiVersionCheck",
                "--loose",
                "--disableTelemetry")
            .redirectErrorStream(true)
            .redirectOutput(workspace.resolve("azurite.log").toFile())
            .start();
    awaitPort(port);
    endpoint = "http://127.0.0.1:" + port + "/" + ACCOUNT;
    var service =
        new BlobServiceClientBuilder()
            .endpoint(endpoint)
            .httpClient(new JdkHttpClientBuilder().build())
            .credential(new StorageSharedKeyCredential(ACCOUNT, KEY))
            .buildClient();
    BlobContainerClient models = service.createBlobContainer("models");
    upload(models, "iris/model.onnx", WEIGHTS);
    upload(models, "iris/meta/labels.txt", "setosa\n".getBytes(StandardCharsets.UTF_8));
    upload(models, "iris2/model.onnx", "other".getBytes(StandardCharsets.UTF_8));
    BlobContainerClient open = service.createBlobContainer("public");
    open.setAccessPolicy(PublicAccessType.CONTAINER, null);
    upload(open, "iris/model.onnx", WEIGHTS);
    sas =
        models.generateSas(
            new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true).setListPermission(true)));
  }

  private static void upload(BlobContainerClient container, String name, byte[] bytes) {
    container.getBlobClient(name).upload(BinaryData.fromBytes(bytes), true);
  }

  private static void awaitPort(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (!azurite.isAlive()) {
          throw new IllegalStateException("azurite exited: " + azurite.exitValue());
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("azurite did not listen on " + port);
  }

  @AfterAll
  static void stopAzurite() throws Exception {
    if (azurite != null) {
      azurite.destroy();
      azurite.waitFor();
      StorageInitializer.deleteRecursively(workspace);
    }
  }

  @BeforeEach
  void settings() {
    env.put("AZURE_STORAGE_BLOB_ENDPOINT", endpoint);
    settings =
        StorageSettings.defaults(dir.resolve("cache"))
            .withEnv(env::get)
            .withRetries(1, Duration.ofMillis(5));
  }

  private static String uri(String container, String path) {
    return "https://" + ACCOUNT + ".blob.core.windows.net/" + container + "/" + path;
  }

  @Test
  void downloadsEveryBlobUnderThePathWithTheAccountKey() throws Exception {
    env.put("AZURE_STORAGE_ACCESS_KEY", KEY);
    Path model = StorageInitializer.resolve(uri("models", "iris"), settings, Map.of());
    assertThat(model.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
    assertThat(model.resolve("meta/labels.txt")).hasContent("setosa\n");
    assertThat(model.resolve("../iris2")).doesNotExist();
    Path single = StorageInitializer.resolve(uri("models", "iris/model.onnx"), settings, Map.of());
    assertThat(single).hasBinaryContent(WEIGHTS).hasFileName("model.onnx");
  }

  @Test
  void downloadsWithASasTokenFromTheUriOrTheEnvironment() throws Exception {
    Path viaUri = StorageInitializer.resolve(uri("models", "iris") + "?" + sas, settings, Map.of());
    assertThat(viaUri.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
    env.put("AZURE_STORAGE_SAS_TOKEN", sas);
    Path viaEnv = StorageInitializer.resolve(uri("models", "iris/meta"), settings, Map.of());
    assertThat(viaEnv.resolve("labels.txt")).hasContent("setosa\n");
  }

  @Test
  void readsAPublicContainerAnonymouslyButNotAPrivateOne() throws Exception {
    Path model = StorageInitializer.resolve(uri("public", "iris"), settings, Map.of());
    assertThat(model.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
    assertThatThrownBy(() -> StorageInitializer.resolve(uri("models", "iris"), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> assertThat(e.kind()).isIn(Kind.ACCESS_DENIED, Kind.NOT_FOUND))
        .hasMessageContaining("Azure Blob devstoreaccount1/models/iris");
  }

  @Test
  void reportsAWrongKeyAndAMissingPathWithoutTheSecret() {
    String wrong = KEY.replace('E', 'F');
    env.put("AZURE_STORAGE_ACCESS_KEY", wrong);
    assertThatThrownBy(() -> StorageInitializer.resolve(uri("models", "iris"), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED))
        .hasMessageContaining("HTTP 403")
        .hasMessageNotContaining(wrong);
    env.put("AZURE_STORAGE_ACCESS_KEY", KEY);
    assertThatThrownBy(
            () -> StorageInitializer.resolve(uri("models", "nothing"), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("no blobs under");
    for (String bad : List.of(uri("A", "x"), "https://devstoreaccount1.blob.core.windows.net/")) {
      assertThatThrownBy(() -> StorageInitializer.resolve(bad, settings, Map.of()))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_URI));
    }
  }

  @Test
  void refusesAPathOverTheLimits() {
    env.put("AZURE_STORAGE_ACCESS_KEY", KEY);
    StorageSettings few =
        settings.withPolicy(StoragePolicy.from(Map.of(StoragePolicy.MAX_ENTRIES, "1")));
    assertThatThrownBy(() -> StorageInitializer.resolve(uri("models", "iris"), few, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
  }
}
