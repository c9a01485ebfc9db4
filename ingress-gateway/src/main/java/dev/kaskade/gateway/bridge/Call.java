package dev.kaskade.gateway.bridge;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.gateway.route.Route;

/**
 * One request on its way to Kafka.
 *
 * @param route where it goes
 * @param request the event to produce (id = record key)
 * @param protocol v1, v2 or grpc-v2
 * @param deadlineEpochMs when the caller stops waiting
 * @param traceparent W3C trace context
 * @param subject the authenticated caller, or null
 * @param streamTo the gateway chunks topic that receives a streamed generation's events, or null
 */
public record Call(
    Route route,
    InferenceRequest request,
    String protocol,
    long deadlineEpochMs,
    String traceparent,
    String subject,
    String streamTo) {

  public Call(
      Route route,
      InferenceRequest request,
      String protocol,
      long deadlineEpochMs,
      String traceparent,
      String subject) {
    this(route, request, protocol, deadlineEpochMs, traceparent, subject, null);
  }
}
