package dev.kaskade.gateway.bridge;

import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;

/**
 * What the caller learns when its deadline passes without a reply. While a broker fails over (a
 * partition leader killed, until the controllers fence it) Kafka holds the send: the caller is told
 * so, rather than that the model was slow. Such a request, if Kafka takes it later, is not run:
 * workers skip requests past their deadline, so a retry is safe. Pure.
 */
final class DeadlineFailure {
  private DeadlineFailure() {}

  /**
   * @param waitedMs the call's deadline, as the caller set it (ms from the request's creation)
   * @param acknowledged whether Kafka had acknowledged the request (all in-sync replicas)
   */
  static KaskadeException of(long waitedMs, boolean acknowledged) {
    String message =
        acknowledged
            ? "Deadline of " + waitedMs + " ms exceeded waiting for the model."
            : "Deadline of "
                + waitedMs
                + " ms exceeded before Kafka acknowledged the request (a broker may be failing"
                + " over); workers skip a request past its deadline: retry it.";
    return new KaskadeException(Reason.DEADLINE_EXCEEDED, message);
  }
}
