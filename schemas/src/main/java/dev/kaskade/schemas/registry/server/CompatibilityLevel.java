package dev.kaskade.schemas.registry.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Confluent's compatibility levels, checked with Avro's {@link SchemaCompatibility}. BACKWARD: the
 * new schema reads data written with the old one (consumers upgrade first). FORWARD: the old schema
 * reads data written with the new one. FULL: both. The transitive variants check every live version
 * instead of only the latest.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  /** What a fresh registry enforces, as Confluent does. */
  public static final CompatibilityLevel DEFAULT = BACKWARD;

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** The level named by text (case-insensitive), empty when it names none. */
  public static Optional<CompatibilityLevel> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public boolean transitive() {
    return transitive;
  }

  /**
   * Why the candidate may not follow the existing versions (oldest first) under this level; empty
   * when it may.
   */
  public List<String> violations(Schema candidate, List<Schema> existingOldestFirst) {
    if (this == NONE || existingOldestFirst.isEmpty()) {
      return List.of();
    }
    List<Schema> against =
        transitive ? existingOldestFirst : List.of(existingOldestFirst.getLast());
    List<String> problems = new ArrayList<>();
    for (Schema existing : against) {
      if (backward) {
        describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing))
            .ifPresent(p -> problems.add("new schema cannot read data written with old: " + p));
      }
      if (forward) {
        describe(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate))
            .ifPresent(p -> problems.add("old schema cannot read data written with new: " + p));
      }
    }
    return problems;
  }

  private static Optional<String> describe(SchemaPairCompatibility result) {
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return Optional.empty();
    }
    return Optional.of(
        result.getResult().getIncompatibilities().stream()
            .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
            .toList()
            .toString());
  }
}
