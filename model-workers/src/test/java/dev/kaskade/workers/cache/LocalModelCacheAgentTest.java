package dev.kaskade.workers.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.workers.worker.StorageResolver;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelCacheAgentTest {
  private static final int SIZE = 48 * 1024 * 1024;

  @TempDir Path dir;
  private HttpServer server;
  private final AtomicInteger downloads = new AtomicInteger();
  private final List<String> reports = new CopyOnWriteArrayList<>();

  record Report(ModelState state, String meta) {}

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] chunk = new byte[1024 * 1024];
    server.createContext(
        "/big.onnx",
        exchange -> {
          downloads.incrementAndGet();
          exchange.sendResponseHeaders(200, SIZE);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < SIZE / chunk.length; i++) {
              out.write(chunk);
            }
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/big.onnx";
  }

  private static ResourceEvent cache(String name, String uri) {
    return ResourceEvent.newBuilder()
        .setKind("LocalModelCache")
        .setNamespace("")
        .setName(name)
        .setManifestJson("{\"spec\":{\"sourceModelUri\":\"" + uri + "\"}}")
        .build();
  }

  @Test
  void aCachedModelIsDownloadedOnceAndAnInferenceServiceWithTheSameUriFindsTheCopy()
      throws Exception {
    StorageResolver storage = StorageResolver.initializer(dir.resolve("models"));
    Map<String, String> meta = new java.util.concurrent.ConcurrentHashMap<>();
    LocalModelCacheAgent agent =
        new LocalModelCacheAgent(
            storage,
            (name, state, reason, message, json) -> {
              reports.add(name + ":" + state);
              if (json != null) {
                meta.put(name, json);
              }
            });
    long start = System.nanoTime();
    agent.reconcile(Map.of("big", cache("big", uri())));
    await().atMost(Duration.ofSeconds(60)).until(() -> reports.contains("big:Ready"));
    long cacheMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(reports).startsWith("big:Loading");
    assertThat(meta.get("big")).contains("\"sizeBytes\":" + SIZE);

    long isvcStart = System.nanoTime();
    Path model = storage.resolve(uri(), Map.of());
    long isvcMillis = (System.nanoTime() - isvcStart) / 1_000_000;
    assertThat(model).hasSize(SIZE);
    assertThat(downloads).hasValue(1);
    System.out.printf(
        "local model cache: 48 MiB download %d ms, InferenceService resolve from cache %d ms%n",
        cacheMillis, isvcMillis);

    agent.reconcile(Map.of("big", cache("big", uri())));
    Thread.sleep(200);
    assertThat(reports).hasSize(2); // an unchanged cache is not fetched again
  }

  @Test
  void anUnreachableSourceIsReportedAsADownloadError() {
    StorageResolver storage = StorageResolver.initializer(dir.resolve("models"));
    LocalModelCacheAgent agent =
        new LocalModelCacheAgent(
            storage, (name, state, reason, message, json) -> reports.add(state + ":" + reason));
    agent.reconcile(Map.of("gone", cache("gone", "file:///nonexistent/model.onnx")));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reports.contains("FailedToLoad:NodeDownloadError"));
  }
}
