package dev.kaskade.gateway.http;

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

  public static HttpError of(Throwable failure) {
    if (failure instanceof KaskadeException k) {
      return new HttpError(k.reason().httpStatus(), k.getMessage());
    }
    LOG.error("unexpected failure answering a call", failure);
    return new HttpError(
        Reason.INTERNAL.httpStatus(),
        failure.getClass().getSimpleName() + " : " + failure.getMessage());
  }
}
