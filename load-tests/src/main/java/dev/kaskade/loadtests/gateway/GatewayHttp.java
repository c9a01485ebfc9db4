package dev.kaskade.loadtests.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A keep-alive HTTP/1.1 client for the gateway's REST API: Vert.x core's client with up to {@code
 * maxConnections} pooled connections to {@code 127.0.0.1:port}, every call started on one of two
 * event-loop contexts of the client's own Vert.x. Started straight from the load generator's thread
 * instead, the client lost 1 to 6 of every 1,500 to 3,000 responses that the gateway's own counters
 * show it sent (docs/benchmarks.md). {@code -Dbench.http=jdk} posts with the JDK's {@code
 * java.net.http.HttpClient} instead. {@link #post} completes with the body on 200 and exceptionally
 * ({@link HttpStatusException}) on any other status.
 */
public final class GatewayHttp implements AutoCloseable {
  private final Vertx vertx;
  private final HttpClientAgent client;

  private final java.net.http.HttpClient jdk;
  private final io.vertx.core.Context[] contexts;
  private final java.util.concurrent.atomic.AtomicInteger next =
      new java.util.concurrent.atomic.AtomicInteger();
  private final String base;

  private static final java.util.Map<String, String> JSON =
      java.util.Map.of("content-type", "application/json");

  public GatewayHttp(int port, int maxConnections) {
    base = "http://127.0.0.1:" + port;
    // -Dbench.http=jdk: the JDK client instead (about 3k req/s at most here, so not the default).
    jdk =
        "jdk".equals(System.getProperty("bench.http"))
            ? java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build()
            : null;
    vertx = Vertx.vertx();
    contexts = new io.vertx.core.Context[2];
    for (int i = 0; i < contexts.length; i++) {
      contexts[i] = vertx.getOrCreateContext(); // a new event-loop context per call off-Vert.x
    }
    client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setKeepAlive(true)
                .setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
  }

  /** A non-200 answer. */
  public static final class HttpStatusException extends RuntimeException {
    private final int status;

    HttpStatusException(int status, String body) {
      super(status + ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** POSTs a JSON body. */
  public CompletableFuture<Buffer> post(String uri, Buffer json) {
    if (jdk != null) {
      return jdk.sendAsync(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + uri))
                  .header("content-type", "application/json")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(json.getBytes()))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofByteArray())
          .thenCompose(
              resp ->
                  resp.statusCode() == 200
                      ? CompletableFuture.completedFuture(Buffer.buffer(resp.body()))
                      : CompletableFuture.failedFuture(
                          new HttpStatusException(resp.statusCode(), new String(resp.body()))));
    }
    return call(HttpMethod.POST, uri, json, JSON);
  }

  public CompletableFuture<Buffer> post(String uri, String json) {
    return post(uri, Buffer.buffer(json));
  }

  /**
   * POSTs a body with these request headers (e.g. {@code content-type: application/octet-stream}
   * and {@code Inference-Header-Content-Length} for the binary tensor extension); Vert.x client
   * only.
   */
  public CompletableFuture<Buffer> post(
      String uri, Buffer body, java.util.Map<String, String> headers) {
    return call(HttpMethod.POST, uri, body, headers);
  }

  /** The status of a GET (blocking; for readiness polls), or -1 when the call failed. */
  public int status(String uri) {
    try {
      return client
          .request(new RequestOptions().setMethod(HttpMethod.GET).setURI(uri))
          .compose(req -> req.send())
          .compose(resp -> resp.body().map(b -> resp.statusCode()))
          .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1;
    }
  }

  /** The body of a GET (blocking; for diagnostics), or the failure's message. */
  public String get(String uri) {
    try {
      return client
          .request(new RequestOptions().setMethod(HttpMethod.GET).setURI(uri))
          .compose(req -> req.send())
          .compose(resp -> resp.body().map(Buffer::toString))
          .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return "GET " + uri + " failed: " + e;
    }
  }

  /** Polls {@code uri} until it answers 200. */
  public void awaitOk(String uri, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (status(uri) != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(uri + " did not answer 200 within " + max);
      }
      Thread.sleep(100);
    }
  }

  /**
   * Starts the call on one of the client's own event-loop contexts (round robin): calling the
   * Vert.x client straight from the load generator's thread lost responses (see {@link #post}).
   */
  private CompletableFuture<Buffer> call(
      HttpMethod method, String uri, Buffer body, java.util.Map<String, String> headers) {
    CompletableFuture<Buffer> result = new CompletableFuture<>();
    contexts[Math.floorMod(next.getAndIncrement(), contexts.length)].runOnContext(
        v ->
            send(method, uri, body, headers)
                .whenComplete(
                    (ok, error) -> {
                      if (error != null) {
                        result.completeExceptionally(error);
                      } else {
                        result.complete(ok);
                      }
                    }));
    return result;
  }

  private CompletableFuture<Buffer> send(
      HttpMethod method, String uri, Buffer body, java.util.Map<String, String> headers) {
    return client
        .request(new RequestOptions().setMethod(method).setURI(uri))
        .compose(
            req -> {
              headers.forEach(req::putHeader);
              return body == null ? req.send() : req.send(body);
            })
        .compose(
            resp ->
                resp.body()
                    .compose(
                        b ->
                            resp.statusCode() == 200
                                ? Future.succeededFuture(b)
                                : Future.<Buffer>failedFuture(
                                    new HttpStatusException(resp.statusCode(), b.toString()))))
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Override
  public void close() {
    try {
      client.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
    try {
      vertx.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
  }
}
