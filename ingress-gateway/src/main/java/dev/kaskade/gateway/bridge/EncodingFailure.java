package dev.kaskade.gateway.bridge;

import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.registry.SchemaRegistryException;
import java.io.IOException;

/**
 * What the caller learns when a request cannot be encoded for Kafka. Only a schema-registry or I/O
 * failure is transient and answers UNAVAILABLE (retry); anything else is a deterministic encoding
 * error that would fail the same way on every retry, so it is INTERNAL. Pure.
 */
final class EncodingFailure {
  private EncodingFailure() {}

  static KaskadeException of(String model, RuntimeException failure) {
    if (transientCause(failure)) {
      return KaskadeException.unavailable(
          "The request for model " + model + " could not be encoded; retry.");
    }
    return new KaskadeException(
        Reason.INTERNAL, "The request for model " + model + " could not be encoded.");
  }

  private static boolean transientCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SchemaRegistryException || t instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
