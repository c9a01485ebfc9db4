package dev.kaskade.gateway.http;

import dev.kaskade.gateway.UnexpectedFailures;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps failures to the KServe error body {@code {"error": "..."}} and an HTTP status. */
public final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  /** Status and message of any failure; unexpected ones become 500 like KServe. */
  public record HttpError(int status, String message) {
    public JsonObject body() {
      return new JsonObject().put("error", message);
    }
  }

  /**
   * The status and message of a failure. Unexpected failures answer 500 with a fixed message (no
   * internal class or text) and are logged at most once per interval ({@link UnexpectedFailures}).
   */
  public static HttpError of(Throwable failure) {
    if (failure instanceof KaskadeException k) {
      return new HttpError(k.reason().httpStatus(), k.getMessage());
    }
    return new HttpError(
        Reason.INTERNAL.httpStatus(),
        UnexpectedFailures.report(LOG, "unexpected failure answering a call", failure));
  }
}
