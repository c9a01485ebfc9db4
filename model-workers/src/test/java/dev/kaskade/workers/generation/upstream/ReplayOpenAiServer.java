package dev.kaskade.workers.generation.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server that answers like vLLM's OpenAI server, choosing a scenario by the request's
 * {@code model}: {@code normal} (chat or completion stream cut into 3-byte writes, with a heartbeat
 * comment and a usage chunk), {@code slow} (a token every 50 ms), {@code error-mid} (an error event
 * after two tokens), {@code bad-request} (400 with vLLM's error body), {@code disconnect} (the
 * connection closes after two tokens), {@code garbage} (data that is not JSON), {@code html} (a 500
 * HTML page).
 */
final class ReplayOpenAiServer implements AutoCloseable {
  final AtomicInteger healthStatus = new AtomicInteger(200);
  final AtomicReference<JsonObject> lastBody = new AtomicReference<>();
  final AtomicReference<String> lastAuthorization = new AtomicReference<>();
  final AtomicInteger closedStreams = new AtomicInteger();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  ReplayOpenAiServer() throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    switch (request.path()) {
      case "/health" -> response.setStatusCode(healthStatus.get()).end();
      case "/v1/chat/completions", "/v1/completions" ->
          request
              .body()
              .onSuccess(
                  body -> {
                    JsonObject json = body.toJsonObject();
                    lastBody.set(json);
                    lastAuthorization.set(request.getHeader("Authorization"));
                    request.connection().closeHandler(v -> closedStreams.incrementAndGet());
                    answer(request.path().contains("chat"), json, response);
                  });
      default -> response.setStatusCode(404).end();
    }
  }

  private void answer(boolean chat, JsonObject body, HttpServerResponse response) {
    switch (body.getString("model")) {
      case "bad-request" ->
          response
              .setStatusCode(400)
              .putHeader("content-type", "application/json")
              .end(
                  "{\"object\":\"error\",\"message\":\"This model's maximum context length is 16"
                      + " tokens\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}");
      case "html" ->
          response.setStatusCode(500).end("<html><body>Internal Server Error</body></html>");
      default -> stream(chat, body.getString("model"), response);
    }
  }

  private void stream(boolean chat, String scenario, HttpServerResponse response) {
    response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
    List<String> tokens = List.of("Hél", "lo", " wör", "ld");
    switch (scenario) {
      case "normal" -> {
        StringBuilder all = new StringBuilder(": ping\n\n");
        if (chat) {
          all.append(event(chunk(true, null, null).put("choices", roleChoice())));
        }
        tokens.forEach(t -> all.append(event(chunk(chat, t, null))));
        all.append(event(chunk(chat, "", "length")));
        all.append(event(usage(7, tokens.size())));
        all.append("data: [DONE]\n\n");
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 3) {
          response.write(Buffer.buffer().appendBytes(bytes, i, Math.min(3, bytes.length - i)));
        }
        response.end();
      }
      case "slow" -> slow(chat, response, 0);
      case "error-mid" -> {
        response.write(event(chunk(chat, "a", null)) + event(chunk(chat, "b", null)));
        response.end(
            "data: {\"error\":{\"message\":\"engine died\",\"type\":\"InternalServerError\","
                + "\"code\":500}}\n\ndata: [DONE]\n\n");
      }
      case "disconnect" -> {
        response.write(event(chunk(chat, "a", null)) + event(chunk(chat, "b", null)));
        vertx.setTimer(20, id -> response.reset());
      }
      case "garbage" -> response.end("data: this is not json\n\n");
      default -> response.setStatusCode(404).end();
    }
  }

  private void slow(boolean chat, HttpServerResponse response, int n) {
    if (response.closed() || n >= 200) {
      return;
    }
    response.write(event(chunk(chat, "t", null)));
    vertx.setTimer(50, id -> slow(chat, response, n + 1));
  }

  private static JsonObject chunk(boolean chat, String text, String finish) {
    JsonObject choice = new JsonObject().put("index", 0).put("finish_reason", finish);
    if (chat) {
      choice.put("delta", new JsonObject().put("content", text));
    } else {
      choice.put("text", text);
    }
    return new JsonObject()
        .put("id", "cmpl-1")
        .put("object", chat ? "chat.completion.chunk" : "text_completion")
        .put("created", 1)
        .put("model", "replay")
        .put("choices", new ArrayList<>(List.of(choice)));
  }

  private static List<JsonObject> roleChoice() {
    return List.of(
        new JsonObject()
            .put("index", 0)
            .put("delta", new JsonObject().put("role", "assistant").put("content", ""))
            .putNull("finish_reason"));
  }

  private static JsonObject usage(int prompt, int completion) {
    return new JsonObject()
        .put("id", "cmpl-1")
        .put("choices", List.of())
        .put(
            "usage",
            new JsonObject()
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion));
  }

  private static String event(JsonObject json) {
    return "data: " + json.encode() + "\n\n";
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
