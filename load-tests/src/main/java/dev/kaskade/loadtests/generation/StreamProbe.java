package dev.kaskade.loadtests.generation;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One streamed chat completion through the gateway, timed as the client sees it: when it was sent,
 * when each content chunk arrived (wall clock in µs, so it can be set against Kafka record
 * timestamps of the worker's events) and how much text had arrived by then.
 */
final class StreamProbe {
  /** A content chunk: the text received so far (chars) and its arrival (epoch µs). */
  record Arrival(int chars, long wallMicros) {}

  /** One stream: its request id, client TTFT (ns) and content chunks in arrival order. */
  record Timing(String id, long ttftNanos, List<Arrival> arrivals) {}

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI uri;
  private final String model;
  private final int maxTokens;

  StreamProbe(String baseUrl, String model, int maxTokens) {
    this.uri = URI.create(baseUrl + "/openai/v1/chat/completions");
    this.model = model;
    this.maxTokens = maxTokens;
  }

  Timing run(int n) throws Exception {
    String body =
        new JsonObject()
            .put("model", model)
            .put("max_tokens", maxTokens)
            .put("temperature", 1.0)
            .put("seed", n)
            .put("stream", true)
            .put(
                "messages",
                List.of(new JsonObject().put("role", "user").put("content", "Stream " + n)))
            .encode();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long sent = System.nanoTime();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
    String id = null;
    long ttft = -1;
    int chars = 0;
    List<Arrival> arrivals = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.startsWith("data: ")) {
          continue;
        }
        long now = System.nanoTime();
        long wall = wallMicros();
        String data = line.substring("data: ".length());
        if (data.equals("[DONE]")) {
          break;
        }
        JsonObject chunk = new JsonObject(data);
        if (chunk.containsKey("error")) {
          throw new IllegalStateException(data);
        }
        id = chunk.getString("id");
        String content = content(chunk);
        if (!content.isEmpty()) {
          if (ttft < 0) {
            ttft = now - sent;
          }
          chars += content.length();
          arrivals.add(new Arrival(chars, wall));
        }
      }
    }
    return new Timing(id.substring("chatcmpl-".length()), ttft, arrivals);
  }

  private static String content(JsonObject chunk) {
    StringBuilder text = new StringBuilder();
    for (Object c : chunk.getJsonArray("choices")) {
      JsonObject delta = ((JsonObject) c).getJsonObject("delta");
      if (delta != null && delta.getString("content") != null) {
        text.append(delta.getString("content"));
      }
    }
    return text.toString();
  }

  static long wallMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }
}
