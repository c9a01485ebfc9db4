package dev.kaskade.gateway;

import dev.kaskade.schemas.error.ThrottledErrorLog;
import org.slf4j.Logger;

/**
 * What the gateway does with a failure it did not expect (a bug, not a bad request): the client
 * gets a fixed message without the exception's class or text (which can name topics, paths or
 * classes), and the log gets the stack trace through one gateway-wide {@link ThrottledErrorLog}, so
 * a client repeating a request that triggers the bug cannot flood the log.
 */
public final class UnexpectedFailures {
  /** The message clients get; REST, gRPC and the worker's own errors keep their own texts. */
  public static final String CLIENT_MESSAGE =
      "Internal error in the gateway; the operator can find the cause in the gateway log.";

  private static final ThrottledErrorLog SHARED = ThrottledErrorLog.everyTenSeconds();

  private UnexpectedFailures() {}

  /** Logs through the gateway-wide limiter and returns {@link #CLIENT_MESSAGE}. */
  public static String report(Logger log, String what, Throwable failure) {
    SHARED.log(log, what, failure);
    return CLIENT_MESSAGE;
  }
}
