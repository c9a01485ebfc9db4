package dev.kaskade.schemas.registry.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's state as rebuilt from the {@code _schemas} log, plus the rules that make every
 * instance that reads the same log agree: the first record in log order that claims a subject
 * version, a global id or a schema's id wins, and later records that contradict it are ignored (the
 * instance that wrote them notices and retries). Pure and thread-safe.
 */
final class RegistryState {

  /** One version of a subject as stored; {@code schema} is Avro's canonical JSON text. */
  record SchemaRecord(String subject, int version, int id, String schema, boolean deleted) {
    SchemaRecord {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(schema, "schema");
    }

    boolean sameContent(SchemaRecord other) {
      return other != null && id == other.id && schema.equals(other.schema);
    }

    SchemaRecord asDeleted() {
      return new SchemaRecord(subject, version, id, schema, true);
    }
  }

  private final Map<String, TreeMap<Integer, SchemaRecord>> subjects = new HashMap<>();
  private final Map<Integer, String> schemasById = new HashMap<>();
  private final Map<String, Integer> idsBySchema = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;
  private int maxId;

  /**
   * Applies a schema record read from the log; false when it contradicts an earlier record (same
   * subject version with other content, an id already taken by another schema, or a schema that
   * already has another id).
   */
  synchronized boolean apply(SchemaRecord record) {
    SchemaRecord existing = recordOrNull(record.subject(), record.version());
    if (existing != null && !existing.sameContent(record)) {
      return false;
    }
    String schemaOfId = schemasById.get(record.id());
    if (schemaOfId != null && !schemaOfId.equals(record.schema())) {
      return false;
    }
    Integer idOfSchema = idsBySchema.get(record.schema());
    if (idOfSchema != null && idOfSchema != record.id()) {
      return false;
    }
    subjects.computeIfAbsent(record.subject(), s -> new TreeMap<>()).put(record.version(), record);
    schemasById.put(record.id(), record.schema());
    idsBySchema.put(record.schema(), record.id());
    maxId = Math.max(maxId, record.id());
    return true;
  }

  /** Sets (level non-null) or clears a subject's level; a null subject means the global level. */
  synchronized void applyConfig(String subject, CompatibilityLevel level) {
    if (subject == null) {
      globalLevel = level == null ? CompatibilityLevel.DEFAULT : level;
    } else if (level == null) {
      subjectLevels.remove(subject);
    } else {
      subjectLevels.put(subject, level);
    }
  }

  synchronized Optional<String> schemaById(int id) {
    return Optional.ofNullable(schemasById.get(id));
  }

  synchronized Optional<Integer> idOf(String schema) {
    return Optional.ofNullable(idsBySchema.get(schema));
  }

  synchronized int maxId() {
    return maxId;
  }

  /** The highest version ever used by the subject, deleted ones included (0 when none). */
  synchronized int maxVersion(String subject) {
    TreeMap<Integer, SchemaRecord> versions = subjects.get(subject);
    return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
  }

  /** Live (not deleted) versions of the subject, oldest first. */
  synchronized List<SchemaRecord> liveVersions(String subject) {
    TreeMap<Integer, SchemaRecord> versions = subjects.get(subject);
    if (versions == null) {
      return List.of();
    }
    return versions.values().stream().filter(r -> !r.deleted()).toList();
  }

  /** Any version of the subject, deleted or not. */
  synchronized Optional<SchemaRecord> record(String subject, int version) {
    return Optional.ofNullable(recordOrNull(subject, version));
  }

  /** The live version of the subject holding exactly this schema. */
  synchronized Optional<SchemaRecord> find(String subject, String schema) {
    return liveVersions(subject).stream().filter(r -> r.schema().equals(schema)).findFirst();
  }

  /** Subjects with at least one live version, sorted. */
  synchronized List<String> subjects() {
    List<String> names = new ArrayList<>();
    subjects.forEach(
        (name, versions) -> {
          if (versions.values().stream().anyMatch(r -> !r.deleted())) {
            names.add(name);
          }
        });
    names.sort(null);
    return names;
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  synchronized CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  /** The level that applies to the subject: its own, else the global one. */
  synchronized CompatibilityLevel effectiveLevel(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private SchemaRecord recordOrNull(String subject, int version) {
    TreeMap<Integer, SchemaRecord> versions = subjects.get(subject);
    return versions == null ? null : versions.get(version);
  }
}
