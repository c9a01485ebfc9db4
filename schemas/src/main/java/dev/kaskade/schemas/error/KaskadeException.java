package dev.kaskade.schemas.error;

import dev.kaskade.events.InferenceError;

/** The one exception type of the data plane: a stable {@link Reason} plus a message. */
public class KaskadeException extends RuntimeException {
  private final Reason reason;

  public KaskadeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KaskadeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** This failure as the error of an InferenceResponse. */
  public InferenceError toInferenceError() {
    return new InferenceError(reason.name(), getMessage());
  }

  public static KaskadeException invalid(String message) {
    return new KaskadeException(Reason.INVALID_ARGUMENT, message);
  }

  public static KaskadeException notFound(String message) {
    return new KaskadeException(Reason.NOT_FOUND, message);
  }

  public static KaskadeException unavailable(String message) {
    return new KaskadeException(Reason.UNAVAILABLE, message);
  }
}
