package dev.kaskade.workers.backend;

/** A model could not be loaded; the message becomes the FailedToLoad status reason. */
public class ModelLoadException extends Exception {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
