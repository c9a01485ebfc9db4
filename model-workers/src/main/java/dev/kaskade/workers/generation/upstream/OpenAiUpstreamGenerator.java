package dev.kaskade.workers.generation.upstream;

import dev.kaskade.workers.generation.CancelSignal;
import dev.kaskade.workers.generation.GenerationException;
import dev.kaskade.workers.generation.GenerationOutcome;
import dev.kaskade.workers.generation.GenerationOutcome.FinishReason;
import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.TextGenerator;
import dev.kaskade.workers.generation.TokenSink;
import dev.kaskade.workers.generation.upstream.OpenAiBodies.Chunk;
import dev.kaskade.workers.generation.upstream.StreamingCall.Data;
import dev.kaskade.workers.generation.upstream.StreamingCall.End;
import dev.kaskade.workers.generation.upstream.StreamingCall.Failed;
import dev.kaskade.workers.generation.upstream.StreamingCall.Signal;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Generation by an OpenAI-compatible server (vLLM, llama.cpp's server, TGI, OpenAI): each choice is
 * one streamed {@code /v1/chat/completions} or {@code /v1/completions} call whose deltas go to the
 * sink as they arrive; finish_reason and usage come from the server. The calling thread waits on
 * the call's signals in short slices so a cancel or the deadline ends the call within ~{@value
 * #SLICE_MS} ms, closing the connection.
 */
final class OpenAiUpstreamGenerator implements TextGenerator {
  static final long SLICE_MS = 20;
  private static final String DONE = "[DONE]";

  private final UpstreamSettings settings;
  private final HttpClient client;
  private final HealthPoller health;
  private final Runnable onClose;

  OpenAiUpstreamGenerator(
      UpstreamSettings settings, HttpClient client, HealthPoller health, Runnable onClose) {
    this.settings = settings;
    this.client = client;
    this.health = health;
    this.onClose = onClose;
  }

  @Override
  public String name() {
    return "openai-upstream";
  }

  @Override
  public int maxConcurrent() {
    return settings.parallel();
  }

  @Override
  public boolean ready() {
    return health.ready();
  }

  @Override
  public GenerationOutcome generate(GenerationSpec spec, TokenSink sink, CancelSignal cancel)
      throws GenerationException {
    long deadline = deadline(spec);
    JsonObject body = OpenAiBodies.request(spec, settings.upstreamModel(spec.model()));
    StreamingCall call = StreamingCall.start(client, options(spec), body.toBuffer(), label());
    Progress progress = new Progress();
    try {
      while (true) {
        if (cancel.cancelled()) {
          call.abort();
          return progress.outcome(FinishReason.CANCELLED);
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          call.abort();
          throw UpstreamFailures.timeout(label(), deadline - progress.started);
        }
        Signal signal = call.next(Math.min(left, SLICE_MS));
        if (signal != null && handle(signal, spec, sink, progress)) {
          return progress.outcome(progress.finish);
        }
      }
    } catch (InterruptedException e) {
      call.abort();
      Thread.currentThread().interrupt();
      return progress.outcome(FinishReason.CANCELLED);
    } catch (GenerationException | RuntimeException e) {
      call.abort(); // also when the sink failed: the server must stop generating
      throw e;
    }
  }

  /** Takes one signal; true when the generation is complete. */
  private boolean handle(Signal signal, GenerationSpec spec, TokenSink sink, Progress progress)
      throws GenerationException {
    return switch (signal) {
      case Failed f -> throw f.error();
      case End e -> {
        if (progress.finish == null) {
          throw UpstreamFailures.cutShort(label(), "no finish_reason and no [DONE]");
        }
        yield true; // some servers end the response without [DONE]
      }
      case Data d when d.data().strip().equals(DONE) -> {
        if (progress.finish == null) {
          throw UpstreamFailures.cutShort(label(), "[DONE] before any finish_reason");
        }
        yield true;
      }
      case Data d -> {
        progress.take(chunk(d.data(), spec), sink);
        yield false;
      }
    };
  }

  private Chunk chunk(String data, GenerationSpec spec) throws GenerationException {
    JsonObject json;
    try {
      json = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      throw UpstreamFailures.unparsable(label(), data);
    }
    if (json.containsKey("error") || "error".equals(json.getString("object"))) {
      throw UpstreamFailures.ofStreamError(label(), json);
    }
    return OpenAiBodies.chunk(json, spec.api());
  }

  private long deadline(GenerationSpec spec) {
    long byTimeout = System.currentTimeMillis() + settings.timeout().toMillis();
    return spec.deadlineEpochMs() > 0 ? Math.min(spec.deadlineEpochMs(), byTimeout) : byTimeout;
  }

  private RequestOptions options(GenerationSpec spec) {
    RequestOptions options =
        new RequestOptions()
            .setAbsoluteURI(settings.base() + OpenAiBodies.path(spec.api()))
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.ACCEPT, "text/event-stream");
    if (settings.apiKey() != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.apiKey());
    }
    return options;
  }

  private String label() {
    return "upstream " + settings.base();
  }

  @Override
  public void close() {
    health.close();
    client.close();
    onClose.run();
  }

  /** What a call produced so far. */
  private static final class Progress {
    final long started = System.currentTimeMillis();
    FinishReason finish;
    int chunks;
    int promptTokens = -1;
    int completionTokens = -1;

    void take(Chunk chunk, TokenSink sink) {
      if (!chunk.text().isEmpty()) {
        chunks++;
        sink.accept(chunk.text(), 1);
      }
      if (chunk.finishReason() != null) {
        finish = chunk.finishReason().equals("length") ? FinishReason.LENGTH : FinishReason.STOP;
      }
      if (chunk.hasUsage()) {
        promptTokens = chunk.promptTokens();
        completionTokens = chunk.completionTokens();
      }
    }

    /** Usage as the server counted it; chunks with text when it sent none. */
    GenerationOutcome outcome(FinishReason reason) {
      return new GenerationOutcome(
          reason, Math.max(promptTokens, 0), completionTokens >= 0 ? completionTokens : chunks);
    }
  }
}
