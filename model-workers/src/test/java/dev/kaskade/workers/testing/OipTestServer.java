package dev.kaskade.workers.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small model server for the runtime bridge's tests and benchmark, speaking KServe V1 REST and
 * Open Inference Protocol REST like KServe's sklearnserver: every model answers the sum of each
 * input row ({@code predictions} / output {@code sum}, FP64). A negative value is a bad request
 * (400); {@link #failWith} makes inferences fail with a status, {@link #delayMs} slows them, {@link
 * #stop}/{@link #restart} kill and revive it on the same port.
 */
public final class OipTestServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private int port;
  private final AtomicInteger inferences = new AtomicInteger();
  private volatile int failStatus;
  private volatile long delayMs;
  private HttpServer server;
  private ExecutorService executor;

  private OipTestServer() {}

  /** Starts on a free port. */
  public static OipTestServer start() {
    OipTestServer s = new OipTestServer();
    s.listen(0);
    return s;
  }

  private void listen(int on) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 128);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    port = server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public int inferences() {
    return inferences.get();
  }

  /** Inferences answer this status (0 = normally). */
  public void failWith(int status) {
    failStatus = status;
  }

  public void delayMs(long ms) {
    delayMs = ms;
  }

  /** Kills the server: connections are refused until {@link #restart}. */
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Listens again on the same port. */
  public void restart() {
    listen(port);
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/v2/health/ready") || path.equals("/v2/health/live")) {
        reply(exchange, 200, "{\"ready\":true}");
      } else if (path.startsWith("/v1/models/") && !path.contains(":")) {
        String name = path.substring("/v1/models/".length());
        reply(exchange, 200, "{\"name\":\"" + name + "\",\"ready\":true}");
      } else if (path.endsWith(":predict") || path.endsWith("/infer")) {
        infer(exchange, path.endsWith(":predict"));
      } else if (path.startsWith("/v2/models/")) {
        reply(exchange, 200, "{\"name\":\"m\",\"platform\":\"test\",\"inputs\":[],\"outputs\":[]}");
      } else {
        reply(exchange, 404, "{\"error\":\"no route " + path + "\"}");
      }
    }
  }

  private void infer(HttpExchange exchange, boolean v1) throws IOException {
    inferences.incrementAndGet();
    if (delayMs > 0) {
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (failStatus != 0) {
      reply(exchange, failStatus, "{\"error\":\"injected failure\"}");
      return;
    }
    JsonNode body = MAPPER.readTree(exchange.getRequestBody());
    JsonNode rows = v1 ? body.path("instances") : body.path("inputs").path(0);
    ArrayNode sums = MAPPER.createArrayNode();
    if (v1) {
      for (JsonNode row : rows) {
        sums.add(sum(row));
      }
    } else {
      long n = rows.path("shape").path(0).asLong(1);
      JsonNode data = rows.path("data");
      int perRow = (int) (data.size() / Math.max(1, n));
      for (int r = 0; r < n; r++) {
        double s = 0;
        for (int i = 0; i < perRow; i++) {
          s += data.get(r * perRow + i).asDouble();
        }
        sums.add(s);
      }
    }
    for (JsonNode s : sums) {
      if (s.asDouble() < 0) {
        reply(exchange, 400, "{\"error\":\"negative value in input\"}");
        return;
      }
    }
    ObjectNode answer = MAPPER.createObjectNode();
    if (v1) {
      answer.set("predictions", sums);
    } else {
      answer.put("model_name", "m");
      ObjectNode out = answer.putArray("outputs").addObject();
      out.put("name", "sum").put("datatype", "FP64");
      out.putArray("shape").add(sums.size());
      out.set("data", sums);
    }
    reply(exchange, 200, MAPPER.writeValueAsString(answer));
  }

  private static double sum(JsonNode row) {
    if (!row.isArray()) {
      return row.asDouble();
    }
    double s = 0;
    for (JsonNode v : row) {
      s += sum(v);
    }
    return s;
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
