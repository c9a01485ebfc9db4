package dev.kaskade.gateway.openai;

import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.GenerationRequest;
import dev.kaskade.schemas.error.Reason;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * One SSE response of a streamed generation. The 200 and the event-stream headers go out only when
 * the worker's START arrives, so failures before it (model not ready, validation, deadline) are
 * still real HTTP statuses; after it a failure is an in-stream error object, and {@code data:
 * [DONE]} always ends the stream. A client that goes away cancels the generation. Runs on the
 * request's event loop.
 */
final class OpenAiStream {
  /** What the stream does when it ends (free the call) and when the client went away. */
  interface Hooks {
    void ended();

    void cancel(String reason);
  }

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final SseChunks chunks;
  private final GenerationRequest request;
  private final StreamAssembler assembler;
  private final OpenAiMetrics metrics;
  private final String model;
  private final long startNanos;
  private final long heartbeatMs;
  private final Hooks hooks;
  private long lastTextNanos;
  private long heartbeat = -1;
  private boolean ended;

  OpenAiStream(
      Vertx vertx,
      HttpServerResponse response,
      SseChunks chunks,
      GenerationRequest request,
      OpenAiMetrics metrics,
      String model,
      long heartbeatMs,
      Hooks hooks) {
    this.vertx = vertx;
    this.response = response;
    this.chunks = chunks;
    this.request = request;
    this.assembler = new StreamAssembler(OpenAiRequests.deterministic(request));
    this.metrics = metrics;
    this.model = model;
    this.startNanos = System.nanoTime();
    this.heartbeatMs = heartbeatMs;
    this.hooks = hooks;
    response.closeHandler(v -> clientGone());
  }

  void onEvent(GenerationEvent raw) {
    GenerationEvent event = ended ? null : assembler.accept(raw);
    if (event == null) {
      return;
    }
    switch (event.getKind()) {
      case START -> start();
      case DELTA -> delta(event);
      case FINISH -> write(chunks.finish(event.getChoice(), event.getFinishReason()));
      case USAGE -> {
        var usage = event.getUsage();
        metrics.tokens(model, usage.getPromptTokens(), usage.getCompletionTokens());
        if (request.getIncludeUsage()) {
          write(chunks.usage(usage));
        }
        end();
      }
      case ERROR ->
          fail(
              OpenAiError.ofReason(
                  Reason.fromCode(event.getError().getCode()), event.getError().getMessage()));
    }
  }

  /** Before START: an HTTP error; after: an error event, then [DONE]. */
  void fail(Throwable failure) {
    if (ended) {
      return;
    }
    OpenAiError error = OpenAiError.of(failure);
    if (!response.headWritten()) {
      ended = true;
      hooks.ended();
      OpenAiRoutes.error(response, error);
      return;
    }
    write(SseChunks.error(error));
    end();
  }

  private void start() {
    metrics.queueTime(model, System.nanoTime() - startNanos);
    response
        .setStatusCode(200)
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    for (int i = 0; i < Math.max(1, request.getN()); i++) {
      String role = chunks.role(i);
      if (role != null) {
        write(role);
      } else if (i == 0) {
        response.writeHead();
      }
    }
    heartbeat = vertx.setPeriodic(heartbeatMs, id -> write(SseChunks.PING));
  }

  private void delta(GenerationEvent event) {
    long now = System.nanoTime();
    if (lastTextNanos == 0) {
      metrics.timeToFirstToken(model, now - startNanos);
    } else {
      metrics.interToken(model, now - lastTextNanos, event.getTokens());
    }
    lastTextNanos = now;
    write(chunks.delta(event.getChoice(), event.getText()));
  }

  private void write(String frame) {
    if (ended || response.closed()) {
      return;
    }
    response.write(frame);
    if (response.writeQueueFull()) {
      // A reader this slow would make the worker's events pile up here: stop the generation.
      metrics.cancelled(model, "slow_reader");
      ended = true;
      stopHeartbeat();
      hooks.cancel("slow_reader");
      hooks.ended();
      response.reset();
    }
  }

  private void end() {
    if (ended) {
      return;
    }
    write(SseChunks.DONE);
    ended = true;
    stopHeartbeat();
    hooks.ended();
    if (!response.closed()) {
      response.end();
    }
  }

  private void clientGone() {
    if (ended) {
      return;
    }
    ended = true;
    stopHeartbeat();
    metrics.cancelled(model, "client_disconnected");
    hooks.cancel("client_disconnected");
    hooks.ended();
  }

  private void stopHeartbeat() {
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
      heartbeat = -1;
    }
  }
}
