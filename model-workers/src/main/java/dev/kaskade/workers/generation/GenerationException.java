package dev.kaskade.workers.generation;

/**
 * A generation that failed, with the HTTP status an OpenAI client should see: 400 for a request the
 * model cannot take (prompt too long), 502/503/504 for an upstream that answered badly, was
 * unreachable or too slow, 500 otherwise. {@code type} is OpenAI's error type.
 */
public class GenerationException extends Exception {

  private final int status;
  private final String type;

  public GenerationException(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  public GenerationException(int status, String type, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.type = type;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }
}
