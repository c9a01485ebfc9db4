package dev.kaskade.workers.backend;

/** A backend failed to execute a batch; the message reaches the caller as an INTERNAL error. */
public class InferenceFailure extends Exception {
  public InferenceFailure(String message, Throwable cause) {
    super(message, cause);
  }

  public InferenceFailure(String message) {
    super(message);
  }
}
