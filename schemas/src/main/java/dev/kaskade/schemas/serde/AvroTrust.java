package dev.kaskade.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to load classes outside its trusted packages when a specific reader or writer
 * is built from a schema, which includes Kaskade's generated {@code dev.kaskade.events} classes.
 * {@link AvroSerializer} and {@link AvroDeserializer} install this trust when loaded; code that
 * builds {@code SpecificDatumReader}/{@code SpecificDatumWriter} itself calls {@link #install()}.
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
