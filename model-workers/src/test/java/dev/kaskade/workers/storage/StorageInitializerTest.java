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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageInitializerTest {
  @TempDir Path dir;
  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private StorageSettings settings;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          AtomicInteger fail = failuresLeft.get(path);
          byte[] body = files.get(path);
          if (fail != null && fail.getAndDecrement() > 0) {
            exchange.sendResponseHeaders(503, -1);
          } else if (path.startsWith("/private")
              && !"Bearer t0k".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.sendResponseHeaders(401, -1);
          } else if (path.startsWith("/secret")) {
            exchange.sendResponseHeaders(403, -1);
          } else if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    settings =
        StorageSettings.defaults(dir.resolve("cache"))
            .withBaseDir(dir)
            .withPvcMountRoot(dir.resolve("pvc"))
            .withRetries(3, Duration.ofMillis(10));
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void shouldUseLocalPathsInPlaceWhenPlainFileOrPvc() throws Exception {
    Path model = Files.writeString(dir.resolve("model.onnx"), "x");
    assertThat(StorageInitializer.resolve("./model.onnx", settings, Map.of())).isEqualTo(model);
    assertThat(StorageInitializer.resolve(model.toString(), settings, Map.of())).isEqualTo(model);
    assertThat(StorageInitializer.resolve("file://" + model, settings, Map.of())).isEqualTo(model);
    Path pvcModel = dir.resolve("pvc/claim/models/iris");
    Files.createDirectories(pvcModel);
    assertThat(StorageInitializer.resolve("pvc://claim/models/iris", settings, Map.of()))
        .isEqualTo(pvcModel);
    assertThatThrownBy(() -> StorageInitializer.resolve("./missing.onnx", settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("not found");
    assertThatThrownBy(
            () -> StorageInitializer.resolve("pvc://claim/../../etc", settings, Map.of()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("escapes");
  }

  @Test
  void shouldRejectUnsupportedSchemesWithReason() {
    for (String uri : List.of("hdfs://nn/model", "webhdfs://nn/model", "")) {
      assertThatThrownBy(() -> StorageInitializer.resolve(uri, settings, Map.of()))
          .isInstanceOfSatisfying(
              StorageException.class,
              e ->
                  assertThat(e.kind()).isIn(Kind.UNSUPPORTED_SCHEME, Kind.INVALID_URI).isNotNull());
    }
    assertThatThrownBy(() -> StorageInitializer.resolve("hdfs://nn/model", settings, Map.of()))
        .hasMessageContaining("unsupported storage URI scheme 'hdfs://'")
        .hasMessageContaining("gs://, hf://, oci://");
  }

  @Test
  void shouldDownloadOnceAndServeFromCacheWhenHttpFile() throws Exception {
    byte[] body = "onnx-bytes".getBytes(StandardCharsets.UTF_8);
    files.put("/m/model.onnx", body);
    Path first = StorageInitializer.resolve(url("/m/model.onnx"), settings, Map.of());
    assertThat(first.getFileName().toString()).isEqualTo("model.onnx");
    assertThat(Files.readAllBytes(first)).isEqualTo(body);
    Path second = StorageInitializer.resolve(url("/m/model.onnx"), settings, Map.of());
    assertThat(second).isEqualTo(first);
    assertThat(hits.get("/m/model.onnx")).hasValue(1);
    try (var leftovers = Files.list(dir.resolve("cache"))) {
      assertThat(leftovers.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".tmp"));
    }
  }

  @Test
  void shouldVerifySha256FromFragmentOrAnnotation() throws Exception {
    byte[] body = "weights".getBytes(StandardCharsets.UTF_8);
    files.put("/a.onnx", body);
    files.put("/b.onnx", body);
    files.put("/c.onnx", body);
    String good = StorageInitializer.sha256Hex(body);
    String bad = StorageInitializer.sha256Hex("other".getBytes(StandardCharsets.UTF_8));
    assertThat(StorageInitializer.resolve(url("/a.onnx#sha256=" + good), settings, Map.of()))
        .hasBinaryContent(body);
    assertThat(
            StorageInitializer.resolve(
                url("/b.onnx"), settings, Map.of(StorageInitializer.SHA256_ANNOTATION, good)))
        .hasBinaryContent(body);
    assertThatThrownBy(
            () -> StorageInitializer.resolve(url("/c.onnx#sha256=" + bad), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CHECKSUM_MISMATCH))
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining(good);
    assertThat(hits.get("/c.onnx")).hasValue(1); // a mismatch is not retried
    try (var entries = Files.list(dir.resolve("cache"))) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("c.onnx"));
    }
  }

  @Test
  void shouldFailWithNotFoundOrAccessDeniedWithoutRetrying() {
    assertThatThrownBy(() -> StorageInitializer.resolve(url("/nothing.onnx"), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("404");
    assertThat(hits.get("/nothing.onnx")).hasValue(1);
    assertThatThrownBy(() -> StorageInitializer.resolve(url("/secret/m.onnx"), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED));
  }

  @Test
  void shouldSendHeadersFromHostHeadersEnvironmentVariable() throws Exception {
    files.put("/private/model.onnx", new byte[] {7});
    assertThatThrownBy(
            () -> StorageInitializer.resolve(url("/private/model.onnx"), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED));
    StorageSettings withHeaders =
        settings.withEnv(Map.of("127.0.0.1-headers", "{\"Authorization\": \"Bearer t0k\"}")::get);
    assertThat(StorageInitializer.resolve(url("/private/model.onnx"), withHeaders, Map.of()))
        .hasBinaryContent(new byte[] {7});
  }

  @Test
  void shouldRetryServerErrorsWithBackoffUntilSuccess() throws Exception {
    files.put("/flaky.onnx", new byte[] {1, 2, 3});
    failuresLeft.put("/flaky.onnx", new AtomicInteger(2));
    assertThat(StorageInitializer.resolve(url("/flaky.onnx"), settings, Map.of()))
        .hasBinaryContent(new byte[] {1, 2, 3});
    assertThat(hits.get("/flaky.onnx")).hasValue(3);
    failuresLeft.put("/down.onnx", new AtomicInteger(100));
    files.put("/down.onnx", new byte[] {1});
    assertThatThrownBy(() -> StorageInitializer.resolve(url("/down.onnx"), settings, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IO))
        .hasMessageContaining("503")
        .hasMessageContaining("after 3 attempts");
  }

  @Test
  void shouldUnpackTarGzAndZipArchivesIntoADirectory() throws Exception {
    files.put("/bundle.tar.gz", tarGz(Map.of("model/1/model.onnx", "m", "model/config.txt", "c")));
    files.put("/bundle.zip", zip(Map.of("model.onnx", "z", "sub/extra.bin", "e")));
    Path tgz = StorageInitializer.resolve(url("/bundle.tar.gz"), settings, Map.of());
    assertThat(tgz).isDirectory();
    assertThat(tgz.resolve("model/1/model.onnx")).hasContent("m");
    assertThat(tgz.resolve("model/config.txt")).hasContent("c");
    Path zip = StorageInitializer.resolve(url("/bundle.zip"), settings, Map.of());
    assertThat(zip.resolve("model.onnx")).hasContent("z");
    assertThat(zip.resolve("sub/extra.bin")).hasContent("e");
  }

  @Test
  void shouldRefuseArchiveEntriesThatEscapeTheTarget() throws Exception {
    files.put("/evil.zip", zip(Map.of("../../escaped.txt", "x")));
    assertThatThrownBy(() -> StorageInitializer.resolve(url("/evil.zip"), settings, Map.of()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("escapes");
    assertThat(dir.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void shouldDownloadOnceWhenManyCallersAskConcurrently() throws Exception {
    files.put("/shared.onnx", new byte[4096]);
    gate = new CountDownLatch(1); // hold the first request until every caller is waiting
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(() -> StorageInitializer.resolve(url("/shared.onnx"), settings, Map.of())));
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hits.containsKey("/shared.onnx"));
      gate.countDown();
      Path first = results.get(0).get();
      for (Future<Path> result : results) {
        assertThat(result.get()).isEqualTo(first);
      }
      assertThat(hits.get("/shared.onnx")).hasValue(1);
    } finally {
      gate.countDown();
      pool.shutdownNow();
    }
  }

  private static byte[] tarGz(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      for (var e : entries.entrySet()) {
        byte[] data = e.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] zip(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void refusesPlainHttpToANonLoopbackHostWithoutAChecksum() {
    String remote = "http://203.0.113.7/models/model.onnx";
    assertThatThrownBy(() -> StorageInitializer.resolve(remote, settings, Map.of()))
        .isInstanceOf(StorageException.class)
        .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(Kind.FORBIDDEN))
        .hasMessageContaining("https://")
        .hasMessageContaining(StorageInitializer.SHA256_ANNOTATION)
        .hasMessageContaining(StoragePolicy.ALLOW_INSECURE_HTTP);
  }

  @Test
  void acceptsPlainHttpWithAChecksumOrTheEscapeHatch() throws Exception {
    String remote = "http://203.0.113.7/models/model.onnx";
    StorageInitializer.requireIntegrity(remote, "ab".repeat(32), StoragePolicy.DEFAULT);
    StorageInitializer.requireIntegrity(
        remote, null, StoragePolicy.from(Map.of(StoragePolicy.ALLOW_INSECURE_HTTP, "true")));
    files.put("/plain.onnx", "bytes".getBytes(StandardCharsets.UTF_8));
    assertThat(StorageInitializer.resolve(url("/plain.onnx"), settings, Map.of()))
        .as("loopback http needs no checksum")
        .hasContent("bytes");
  }

  @Test
  void aLaterChecksumIsNotAnsweredWithAnEarlierUncheckedCopy() throws Exception {
    files.put("/swapped.onnx", "evil".getBytes(StandardCharsets.UTF_8));
    assertThat(StorageInitializer.resolve(url("/swapped.onnx"), settings, Map.of()))
        .hasContent("evil");
    byte[] good = "good".getBytes(StandardCharsets.UTF_8);
    files.put("/swapped.onnx", good);
    Map<String, String> checked =
        Map.of(StorageInitializer.SHA256_ANNOTATION, StorageInitializer.sha256Hex(good));
    assertThat(StorageInitializer.resolve(url("/swapped.onnx"), settings, checked))
        .hasContent("good");
    assertThat(hits.get("/swapped.onnx").get()).isEqualTo(2);
  }

  @Test
  void recordedDigestIsCheckedOnEveryResolve() throws Exception {
    byte[] body = "model".getBytes(StandardCharsets.UTF_8);
    files.put("/digest.onnx", body);
    Map<String, String> checked =
        Map.of(StorageInitializer.SHA256_ANNOTATION, StorageInitializer.sha256Hex(body));
    StorageInitializer.resolve(url("/digest.onnx"), settings, checked);
    StorageInitializer.resolve(url("/digest.onnx"), settings, checked);
    assertThat(hits.get("/digest.onnx").get()).as("a verified entry is reused").isEqualTo(1);
    try (var entries = Files.list(dir.resolve("cache"))) {
      for (Path entry : entries.toList()) {
        Files.writeString(entry.resolve("sha256"), "0".repeat(64));
      }
    }
    assertThat(StorageInitializer.resolve(url("/digest.onnx"), settings, checked))
        .hasContent("model");
    assertThat(hits.get("/digest.onnx").get())
        .as("a mismatching entry is fetched again")
        .isEqualTo(2);
  }
}
