package dev.kaskade.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** V2 calls to the demo iris model through a gateway, as the process tests make them. */
final class IrisClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** True when the gateway on this port answers iris ready. */
  boolean ready(int httpPort) {
    try {
      return http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + httpPort + "/v2/models/iris/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode()
          == 200;
    } catch (Exception e) {
      return false;
    }
  }

  /** One V2 inference with this request id, the client waiting at most {@code timeout}. */
  HttpResponse<String> infer(int httpPort, String id, Duration timeout) throws Exception {
    return send(request(httpPort, id, timeout));
  }

  /** As {@link #infer(int, String, Duration)}, with this deadline for Kaskade (the header). */
  HttpResponse<String> infer(int httpPort, String id, Duration timeout, Duration deadline)
      throws Exception {
    return send(
        request(httpPort, id, timeout)
            .header("kaskade-timeout-ms", Long.toString(deadline.toMillis())));
  }

  /** As {@link #infer(int, String, Duration, Duration)} on another InferenceService of iris. */
  HttpResponse<String> infer(
      int httpPort, String model, String id, Duration timeout, Duration deadline) throws Exception {
    return send(
        request(httpPort, model, id, timeout)
            .header("kaskade-timeout-ms", Long.toString(deadline.toMillis())));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(int httpPort, String id, Duration timeout) {
    return request(httpPort, "iris", id, timeout);
  }

  private static HttpRequest.Builder request(
      int httpPort, String model, String id, Duration timeout) {
    return HttpRequest.newBuilder(
            URI.create("http://localhost:" + httpPort + "/v2/models/" + model + "/infer"))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                """
                    {"id": "%s", "inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32",
                     "data": [5.1, 3.5, 1.4, 0.2]}]}"""
                    .formatted(id)));
  }
}
