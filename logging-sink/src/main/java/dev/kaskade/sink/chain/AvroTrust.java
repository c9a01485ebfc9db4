package dev.kaskade.sink.chain;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes outside its trusted packages when a reader or writer is
 * built from a schema; Kaskade's generated event classes must be trusted explicitly.
 */
public final class AvroTrust {
  private static boolean installed;

  private AvroTrust() {}

  /** Trusts {@code dev.kaskade.events.*} in addition to whatever was trusted before. Idempotent. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(),
            type -> type.getName().startsWith("dev.kaskade.events.")));
    installed = true;
  }
}
