package dev.kaskade.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry REST API Kaskade uses. Implementations talk to a
 * Confluent Schema Registry, Apicurio's Confluent-compatible API, Karapace or Kaskade's embedded
 * registry.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** Registers (or finds) the schema under the subject and returns its global id. */
  int register(String subject, Schema schema);

  /** The schema with this global id; throws {@link SchemaRegistryException} (40403) if unknown. */
  Schema getById(int id);

  /** Version numbers registered under the subject, ascending. */
  List<Integer> versions(String subject);

  /** The latest version of the subject. */
  RegisteredSchema latest(String subject);

  /** One version of the subject. */
  RegisteredSchema version(String subject, int version);

  /** Whether the schema is compatible with the subject's latest version under its policy. */
  boolean isCompatible(String subject, Schema schema);

  /** The subject's compatibility level, or the global one when the subject has none. */
  String compatibility(String subject);

  /** Sets the subject's compatibility level (BACKWARD, FORWARD, FULL, NONE, …). */
  void setCompatibility(String subject, String level);

  /** All subjects. */
  List<String> subjects();

  @Override
  default void close() {}

  /** A schema as registered: subject, version, global id. */
  record RegisteredSchema(String subject, int version, int id, Schema schema) {}
}
