package dev.kaskade.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway's meters: request count and latency per model, protocol and status code, calls in
 * flight, Kafka round trip, late replies. Names follow Prometheus conventions once exported ({@code
 * kaskade_gateway_requests_seconds_count}, ...).
 */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final Timer kafkaRoundTrip;
  private final Counter lateReplies;
  private final TrafficRing traffic = new TrafficRing(System::currentTimeMillis);

  /**
   * The request timers already registered, so a call looks its timer up instead of building and
   * registering it again (which was 3.5 % of the event loop under load). Holds exactly the
   * combinations the registry holds.
   */
  private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();

  private record RequestKey(String model, String protocol, int status) {}

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.kafkaRoundTrip =
        Timer.builder("kaskade.gateway.kafka.roundtrip")
            .description("Time from producing a request to reading its reply")
            .publishPercentileHistogram()
            .register(registry);
    this.lateReplies =
        Counter.builder("kaskade.gateway.late.replies")
            .description(
                "Replies that arrived after their call had ended (deadline) or were unknown")
            .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void inflightGauge(Supplier<Number> inflight) {
    Gauge.builder("kaskade.gateway.inflight", inflight)
        .description("Calls waiting for a reply")
        .register(registry);
  }

  /** Records one finished call. */
  public void request(String model, String protocol, int status, long nanos) {
    requestTimers
        .computeIfAbsent(
            new RequestKey(model == null ? "" : model, protocol, status), this::requestTimer)
        .record(Duration.ofNanos(nanos));
    traffic.record(model, status, nanos);
  }

  private Timer requestTimer(RequestKey key) {
    return Timer.builder("kaskade.gateway.requests")
        .description("Inference calls by model, protocol and status code")
        .tag("model", key.model())
        .tag("protocol", key.protocol())
        .tag("status", Integer.toString(key.status()))
        .publishPercentileHistogram()
        .register(registry);
  }

  /** The last minutes of calls per model, for the console. */
  public TrafficRing traffic() {
    return traffic;
  }

  public void kafkaRoundTrip(long nanos) {
    kafkaRoundTrip.record(Duration.ofNanos(nanos));
  }

  public void lateReply() {
    lateReplies.increment();
  }

  public double lateReplies() {
    return lateReplies.count();
  }
}
