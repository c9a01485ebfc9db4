package dev.kaskade.workers.backend.bridge;

import dev.kaskade.schemas.error.KaskadeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * HTTP calls to a model server, each bounded by the request's deadline: a call never outlives it.
 */
final class UpstreamClient implements AutoCloseable {
  /** What came back. */
  record Answer(int status, byte[] body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  private final Upstream upstream;
  private final HttpClient http;

  UpstreamClient(Upstream upstream) {
    this.upstream = upstream;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  /**
   * POSTs JSON and returns the 2xx body.
   *
   * @param deadlineEpochMs 0 = only the upstream's call timeout
   * @throws KaskadeException mapped by {@link UpstreamErrors}
   */
  byte[] post(String path, byte[] json, long deadlineEpochMs) {
    Duration timeout = timeout(deadlineEpochMs);
    HttpRequest request =
        HttpRequest.newBuilder(uri(path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json))
            .build();
    Answer answer = send(request, timeout);
    if (!answer.ok()) {
      throw UpstreamErrors.ofStatus(upstream, answer.status(), answer.body());
    }
    return answer.body();
  }

  /** GETs a path; any status comes back, no answer at all throws UNAVAILABLE. */
  Answer get(String path, Duration timeout) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build(), timeout);
  }

  private Answer send(HttpRequest request, Duration timeout) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.body());
    } catch (HttpTimeoutException e) {
      throw UpstreamErrors.unanswered(
          upstream, "did not answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw UpstreamErrors.unreachable(upstream, describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw UpstreamErrors.unanswered(upstream, "call interrupted");
    }
  }

  /** The time left until the deadline, capped by the call timeout, at least 1 ms. */
  Duration timeout(long deadlineEpochMs) {
    long cap = upstream.callTimeout().toMillis();
    long left = deadlineEpochMs > 0 ? deadlineEpochMs - System.currentTimeMillis() : Long.MAX_VALUE;
    return Duration.ofMillis(Math.max(1, Math.min(cap, left)));
  }

  private URI uri(String path) {
    return URI.create(upstream.base() + path);
  }

  private static String describe(IOException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  @Override
  public void close() {
    http.close();
  }
}
