package dev.kaskade.workers.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's limits and host lists against a real HTTP server. */
class StorageLimitsTest {
  private static final int MIB = 1 << 20;
  @TempDir Path dir;
  private HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private StorageSettings settings;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] bomb = BOMB;
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          switch (path) {
            case "/endless.onnx" -> { // chunked, no Content-Length: only counting stops it
              exchange.sendResponseHeaders(200, 0);
              try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 64; i++) { // 4 MiB
                  out.write(chunk);
                }
              } catch (IOException e) {
                // the client hung up at its limit
              }
            }
            case "/bomb.zip" -> send(exchange, bomb);
            case "/model.onnx" -> send(exchange, "onnx".getBytes(StandardCharsets.UTF_8));
            case "/same-host" -> redirect(exchange, "/model.onnx");
            case "/other-host" ->
                redirect(
                    exchange, "http://localhost:" + server.getAddress().getPort() + "/model.onnx");
            case "/to-metadata" -> redirect(exchange, "http://169.254.169.254/latest/meta-data/");
            default -> exchange.sendResponseHeaders(404, -1);
          }
          exchange.close();
        });
    server.start();
    settings =
        StorageSettings.defaults(dir.resolve("cache"))
            .withBaseDir(dir)
            .withRetries(1, Duration.ofMillis(10))
            .withPolicy(StoragePolicy.DEFAULT.withLimits(MIB, 2 * MIB, 100));
  }

  private static void send(com.sun.net.httpserver.HttpExchange exchange, byte[] body)
      throws IOException {
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void redirect(com.sun.net.httpserver.HttpExchange exchange, String location)
      throws IOException {
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(302, -1);
  }

  private static final byte[] BOMB = zipBomb();

  /** 8 MiB of zeros deflated to a few KiB: well under the download limit. */
  private static byte[] zipBomb() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("model.onnx"));
      byte[] zeros = new byte[MIB];
      for (int i = 0; i < 8; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static void assertKind(Throwable e, Kind kind) {
    assertThat(e).isInstanceOf(StorageException.class);
    assertThat(((StorageException) e).kind()).isEqualTo(kind);
  }

  @Test
  void refusesDownloadLargerThanTheLimitEvenWithoutContentLength() {
    assertThatThrownBy(() -> StorageInitializer.resolve(url("/endless.onnx"), settings, Map.of()))
        .satisfies(e -> assertKind(e, Kind.TOO_LARGE))
        .hasMessageContaining(StoragePolicy.MAX_DOWNLOAD_BYTES);
    assertThat(dir.resolve("cache")).isEmptyDirectory();
  }

  @Test
  void refusesZipBombAtTheExtractedBytesLimit() throws Exception {
    assertThat(BOMB.length).isLessThan(MIB);
    assertThatThrownBy(() -> StorageInitializer.resolve(url("/bomb.zip"), settings, Map.of()))
        .satisfies(e -> assertKind(e, Kind.TOO_LARGE))
        .hasMessageContaining(StoragePolicy.MAX_EXTRACTED_BYTES);
    try (var files = Files.walk(dir.resolve("cache"))) {
      assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
    }
  }

  @Test
  void refusesArchiveWithMoreEntriesThanTheLimit() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < 5; i++) {
        zip.putNextEntry(new ZipEntry("f" + i));
        zip.closeEntry();
      }
    }
    Path archive = Files.write(dir.resolve("many.zip"), bytes.toByteArray());
    Path target = dir.resolve("out");
    assertThatThrownBy(
            () ->
                Archives.unpack(
                    Archives.Type.ZIP,
                    archive,
                    target,
                    StoragePolicy.DEFAULT.withLimits(MIB, MIB, 4)))
        .isInstanceOf(Limits.Exceeded.class)
        .hasMessageContaining(StoragePolicy.MAX_ENTRIES);
  }

  @Test
  void followsRedirectOnTheSameHostButRefusesOneToAnotherHost() throws Exception {
    assertThat(StorageInitializer.resolve(url("/same-host"), settings, Map.of()))
        .hasContent("onnx");
    assertThatThrownBy(() -> StorageInitializer.resolve(url("/other-host"), settings, Map.of()))
        .satisfies(e -> assertKind(e, Kind.FORBIDDEN))
        .hasMessageContaining("redirects to another host");
    assertThat(hits.get("/model.onnx").get()).as("the other host was never asked").isEqualTo(1);
    assertThatThrownBy(() -> StorageInitializer.resolve(url("/to-metadata"), settings, Map.of()))
        .satisfies(e -> assertKind(e, Kind.FORBIDDEN));
  }

  @Test
  void refusesCloudMetadataAddressByDefault() {
    for (String uri :
        List.of(
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://[::ffff:169.254.169.254]/computeMetadata/v1/",
            "http://metadata.google.internal/computeMetadata/v1/")) {
      assertThatThrownBy(() -> StorageInitializer.resolve(uri, settings, Map.of()))
          .as(uri)
          .satisfies(e -> assertKind(e, Kind.FORBIDDEN))
          .hasMessageContaining(StoragePolicy.DENIED_HOSTS);
    }
  }

  @Test
  void honoursTheOperatorsHostLists() throws Exception {
    StorageSettings denyLoopback =
        settings.withPolicy(
            settings.policy().withHosts(List.of(), List.of("127.0.0.0/8", "169.254.0.0/16")));
    assertThatThrownBy(() -> StorageInitializer.resolve(url("/model.onnx"), denyLoopback, Map.of()))
        .satisfies(e -> assertKind(e, Kind.FORBIDDEN))
        .hasMessageContaining("127.0.0.0/8");
    StorageSettings onlyModels =
        settings.withPolicy(
            settings.policy().withHosts(List.of("*.models.example.com"), List.of()));
    assertThatThrownBy(() -> StorageInitializer.resolve(url("/model.onnx"), onlyModels, Map.of()))
        .hasMessageContaining(StoragePolicy.ALLOWED_HOSTS);
    StorageSettings onlyLoopback =
        settings.withPolicy(settings.policy().withHosts(List.of("127.0.0.1"), List.of()));
    assertThat(StorageInitializer.resolve(url("/model.onnx"), onlyLoopback, Map.of()))
        .hasContent("onnx");
  }

  @Test
  void keepsUserInfoAndQueryOutOfMessages() {
    String uri =
        "http://user:hunter2@127.0.0.1:"
            + server.getAddress().getPort()
            + "/absent?X-Amz-Signature=s3cr3t";
    assertThatThrownBy(() -> StorageInitializer.resolve(uri, settings, Map.of()))
        .satisfies(e -> assertKind(e, Kind.NOT_FOUND))
        .message()
        .doesNotContain("hunter2")
        .doesNotContain("s3cr3t");
  }

  @Test
  void readsLimitsFromSettingsAndRejectsNonsense() {
    StoragePolicy p =
        StoragePolicy.from(
            Map.of(
                StoragePolicy.MAX_DOWNLOAD_BYTES, "10",
                StoragePolicy.MAX_ENTRIES, "3",
                StoragePolicy.S3_ALLOWED_ENDPOINTS, "https://minio.internal:9000, s3.example.com"));
    assertThat(p.maxDownloadBytes()).isEqualTo(10);
    assertThat(p.maxEntries()).isEqualTo(3);
    assertThat(p.deniedHosts()).contains("169.254.0.0/16");
    assertThat(p.allowsS3Endpoint("minio.internal:9000")).isTrue();
    assertThat(p.allowsS3Endpoint("s3.example.com:443")).isTrue();
    assertThat(p.allowsS3Endpoint("attacker.example.net:443")).isFalse();
    assertThatThrownBy(() -> StoragePolicy.from(Map.of(StoragePolicy.MAX_EXTRACTED_BYTES, "-1")))
        .hasMessageContaining(StoragePolicy.MAX_EXTRACTED_BYTES);
  }
}
