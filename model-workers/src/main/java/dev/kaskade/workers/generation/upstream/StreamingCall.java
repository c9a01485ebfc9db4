package dev.kaskade.workers.generation.upstream;

import dev.kaskade.workers.generation.GenerationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One streamed POST to an OpenAI-compatible server, turned from Vert.x callbacks into signals a
 * blocking caller takes one by one: the data of each server-sent event, the end of the response, or
 * a failure already mapped to an OpenAI error. {@link #abort} resets the request, which closes the
 * connection so the server stops generating (vLLM aborts a request whose client went away).
 */
final class StreamingCall {
  /** What the response said next. */
  sealed interface Signal {}

  record Data(String data) implements Signal {}

  record End() implements Signal {}

  record Failed(GenerationException error) implements Signal {}

  private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
  private final String upstream;
  private volatile HttpClientRequest request;
  private volatile boolean aborted;

  private StreamingCall(String upstream) {
    this.upstream = upstream;
  }

  /** Starts the call; signals arrive from now on. */
  static StreamingCall start(
      HttpClient client, RequestOptions options, Buffer body, String upstream) {
    StreamingCall call = new StreamingCall(upstream);
    call.send(client, options.setMethod(HttpMethod.POST), body);
    return call;
  }

  private void send(HttpClient client, RequestOptions options, Buffer body) {
    client
        .request(options)
        .onFailure(
            e -> fail(UpstreamFailures.unreachable(upstream, String.valueOf(e.getMessage()))))
        .onSuccess(
            req -> {
              request = req;
              if (aborted) {
                req.reset();
                return;
              }
              req.send(body)
                  .onFailure(e -> fail(UpstreamFailures.unreachable(upstream, describe(e))))
                  .onSuccess(this::receive);
            });
  }

  private void receive(HttpClientResponse response) {
    if (response.statusCode() / 100 != 2) {
      response
          .body()
          .onSuccess(
              b -> fail(UpstreamFailures.ofStatus(upstream, response.statusCode(), b.toString())))
          .onFailure(e -> fail(UpstreamFailures.cutShort(upstream, describe(e))));
      return;
    }
    SseParser parser = new SseParser();
    response.handler(
        buffer -> {
          try {
            parser.feed(buffer.getBytes()).forEach(d -> signals.add(new Data(d)));
          } catch (IllegalStateException e) {
            fail(UpstreamFailures.unparsable(upstream, e.getMessage()));
            abort();
          }
        });
    response.exceptionHandler(e -> fail(UpstreamFailures.cutShort(upstream, describe(e))));
    response.endHandler(v -> signals.add(new End()));
  }

  private void fail(GenerationException e) {
    if (!aborted) {
      signals.add(new Failed(e));
    }
  }

  /** The next signal, or null when none came within {@code millis}. */
  Signal next(long millis) throws InterruptedException {
    return signals.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Stops the call: the connection is reset and nothing more is signalled. */
  void abort() {
    aborted = true;
    HttpClientRequest r = request;
    if (r != null) {
      r.reset();
    }
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
