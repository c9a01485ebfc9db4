package dev.kaskade.workers.backend.bridge;

import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;

/**
 * A model server's failure in Kaskade's terms: its 4xx are the caller's fault (INVALID_ARGUMENT,
 * 404 NOT_FOUND, with the server's message), its 5xx, refused connections and timeouts mean it
 * cannot answer now (UNAVAILABLE). Pure.
 */
final class UpstreamErrors {
  private UpstreamErrors() {}

  /** The error for a non-2xx answer. */
  static KaskadeException ofStatus(Upstream upstream, int status, byte[] body) {
    String message = "model server " + upstream.base() + " answered " + status;
    String detail = BridgeJson.errorMessage(body);
    if (!detail.isEmpty()) {
      message += ": " + detail;
    }
    Reason reason;
    if (status == 404) {
      reason = Reason.NOT_FOUND;
    } else if (status >= 400 && status < 500) {
      reason = Reason.INVALID_ARGUMENT;
    } else {
      reason = Reason.UNAVAILABLE;
    }
    return new KaskadeException(reason, message);
  }

  /**
   * The error for a non-OK gRPC status (codes of {@code google.rpc.Code}): the caller's fault for
   * INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION, NOT_FOUND; UNAVAILABLE otherwise.
   */
  static KaskadeException ofGrpcStatus(Upstream upstream, int code, String detail) {
    String message = "model server " + upstream.base() + " answered gRPC status " + code;
    if (detail != null && !detail.isEmpty()) {
      message += ": " + detail;
    }
    Reason reason =
        switch (code) {
          case 3, 9, 11 -> Reason.INVALID_ARGUMENT;
          case 5 -> Reason.NOT_FOUND;
          default -> Reason.UNAVAILABLE;
        };
    return new KaskadeException(reason, message);
  }

  /** The error for a call that got no answer in time (timed out, interrupted). */
  static KaskadeException unanswered(Upstream upstream, String what) {
    return new KaskadeException(Reason.UNAVAILABLE, "model server " + upstream.base() + " " + what);
  }

  /** The error for a server that cannot be reached at all (refused, reset): it is down. */
  static Unreachable unreachable(Upstream upstream, String why) {
    return new Unreachable("model server " + upstream.base() + " cannot be reached: " + why);
  }

  /** UNAVAILABLE because the connection failed, which also says the server is down. */
  static final class Unreachable extends KaskadeException {
    Unreachable(String message) {
      super(Reason.UNAVAILABLE, message);
    }
  }
}
