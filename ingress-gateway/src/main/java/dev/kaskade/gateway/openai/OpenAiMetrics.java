package dev.kaskade.gateway.openai;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Generation meters per model, on the gateway's registry: time to first token, inter-token latency,
 * queue time (request to the worker's start), prompt and completion tokens, cancellations by
 * reason. Exported as {@code kaskade_gateway_openai_*}.
 */
public final class OpenAiMetrics {
  private final MeterRegistry registry;

  public OpenAiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void timeToFirstToken(String model, long nanos) {
    timer("kaskade.gateway.openai.ttft", "Time from request to the first generated text", model)
        .record(Duration.ofNanos(nanos));
  }

  /** The gap between two text events of a stream, per token it carried. */
  public void interToken(String model, long nanos, int tokens) {
    Timer t = timer("kaskade.gateway.openai.inter.token", "Time between generated tokens", model);
    long each = nanos / Math.max(1, tokens);
    for (int i = 0; i < Math.max(1, tokens); i++) {
      t.record(Duration.ofNanos(each));
    }
  }

  public void queueTime(String model, long nanos) {
    timer("kaskade.gateway.openai.queue", "Time from request until a worker started it", model)
        .record(Duration.ofNanos(nanos));
  }

  public void tokens(String model, int prompt, int completion) {
    counter("prompt", model).increment(prompt);
    counter("completion", model).increment(completion);
  }

  public void cancelled(String model, String reason) {
    Counter.builder("kaskade.gateway.openai.cancellations")
        .description("Generations cancelled, by reason")
        .tag("model", model)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  private Counter counter(String kind, String model) {
    return Counter.builder("kaskade.gateway.openai.tokens")
        .description("Tokens in (prompt) and out (completion)")
        .tag("model", model)
        .tag("kind", kind)
        .register(registry);
  }

  private Timer timer(String name, String description, String model) {
    return Timer.builder(name)
        .description(description)
        .tag("model", model)
        .publishPercentileHistogram()
        .register(registry);
  }
}
