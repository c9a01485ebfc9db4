package dev.kaskade.schemas.registry.server;

import dev.kaskade.schemas.registry.SchemaRegistryException;
import dev.kaskade.schemas.registry.server.RegistryState.SchemaRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * The registry's operations over {@link RegistryState} and {@link KafkaSchemaLog}; failures are
 * {@link SchemaRegistryException}s carrying Confluent's HTTP status and error code.
 *
 * <p>Ids: a new schema gets {@code max id seen + 1}. Two instances registering at the same moment
 * may pick the same id or version; the log order decides (first record wins, see {@link
 * RegistryState}) and the loser re-reads and retries, after re-writing the winner's value under the
 * contested key so that compaction keeps the winner.
 */
final class RegistryService {
  private static final int MAX_REGISTER_ATTEMPTS = 10;

  private final RegistryState state;
  private final KafkaSchemaLog log;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<String, Schema> parsed = new ConcurrentHashMap<>();

  RegistryService(RegistryState state, KafkaSchemaLog log) {
    this.state = state;
    this.log = log;
  }

  /** Registers the schema under the subject (or finds it) and returns its global id. */
  int register(String subject, String schemaText) {
    Schema schema = parseCandidate(schemaText);
    String canonical = schema.toString();
    writeLock.lock();
    try {
      for (int attempt = 0; attempt < MAX_REGISTER_ATTEMPTS; attempt++) {
        log.sync();
        var existing = state.find(subject, canonical);
        if (existing.isPresent()) {
          return existing.get().id();
        }
        List<String> problems = violations(subject, schema, state.effectiveLevel(subject));
        if (!problems.isEmpty()) {
          throw new SchemaRegistryException(
              409,
              SchemaRegistryException.INCOMPATIBLE_SCHEMA,
              "Schema being registered is incompatible with an earlier schema for subject \""
                  + subject
                  + "\", details: "
                  + problems);
        }
        int id = state.idOf(canonical).orElse(state.maxId() + 1);
        SchemaRecord record =
            new SchemaRecord(subject, state.maxVersion(subject) + 1, id, canonical, false);
        log.append(
            StoreRecords.schemaKey(subject, record.version()), StoreRecords.schemaValue(record));
        var stored = state.record(subject, record.version());
        if (stored.isPresent() && stored.get().sameContent(record)) {
          return id;
        }
        stored.ifPresent(
            winner ->
                log.append(
                    StoreRecords.schemaKey(subject, winner.version()),
                    StoreRecords.schemaValue(winner)));
      }
      throw new SchemaRegistryException(
          500, SchemaRegistryException.STORE_ERROR, "could not agree on an id for " + subject);
    } finally {
      writeLock.unlock();
    }
  }

  /** The live version of the subject holding this schema (POST /subjects/{s}). */
  SchemaRecord lookup(String subject, String schemaText) {
    String canonical = parseCandidate(schemaText).toString();
    return freshOnMiss(
        () -> {
          requireSubject(subject);
          return state
              .find(subject, canonical)
              .orElseThrow(
                  () ->
                      new SchemaRegistryException(
                          404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
        });
  }

  String schemaById(int id) {
    return freshOnMiss(
        () ->
            state
                .schemaById(id)
                .orElseThrow(
                    () ->
                        new SchemaRegistryException(
                            404,
                            SchemaRegistryException.SCHEMA_NOT_FOUND,
                            "Schema " + id + " not found")));
  }

  List<String> subjects() {
    return state.subjects();
  }

  List<Integer> versions(String subject) {
    return freshOnMiss(() -> requireSubject(subject).stream().map(SchemaRecord::version).toList());
  }

  /** One version; {@code versionText} is a number, {@code latest} or {@code -1}. */
  SchemaRecord version(String subject, String versionText) {
    int wanted = parseVersion(versionText);
    return freshOnMiss(
        () -> {
          List<SchemaRecord> live = requireSubject(subject);
          if (wanted == -1) {
            return live.getLast();
          }
          return live.stream()
              .filter(r -> r.version() == wanted)
              .findFirst()
              .orElseThrow(
                  () ->
                      new SchemaRegistryException(
                          404,
                          SchemaRegistryException.VERSION_NOT_FOUND,
                          "Version " + versionText + " not found."));
        });
  }

  /** Soft-deletes every live version of the subject and returns their numbers. */
  List<Integer> deleteSubject(String subject) {
    writeLock.lock();
    try {
      log.sync();
      List<SchemaRecord> live = requireSubject(subject);
      for (SchemaRecord record : live) {
        log.append(
            StoreRecords.schemaKey(subject, record.version()),
            StoreRecords.schemaValue(record.asDeleted()));
      }
      return live.stream().map(SchemaRecord::version).toList();
    } finally {
      writeLock.unlock();
    }
  }

  /** Whether the schema may follow the given version ({@code latest} checks per the level). */
  boolean isCompatible(String subject, String versionText, String schemaText) {
    Schema schema = parseCandidate(schemaText);
    log.sync();
    CompatibilityLevel level = state.effectiveLevel(subject);
    if (parseVersion(versionText) == -1) {
      return violations(subject, schema, level).isEmpty();
    }
    Schema existing = parse(version(subject, versionText).schema());
    CompatibilityLevel single =
        switch (level) {
          case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
          case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
          case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
          default -> level;
        };
    return single.violations(schema, List.of(existing)).isEmpty();
  }

  CompatibilityLevel globalLevel() {
    return state.globalLevel();
  }

  /** The subject's own level; with defaultToGlobal the global one when it has none. */
  CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
    return state
        .subjectLevel(subject)
        .or(() -> defaultToGlobal ? Optional.of(state.globalLevel()) : Optional.empty())
        .orElseThrow(
            () ->
                new SchemaRegistryException(
                    404,
                    SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                    "Subject '"
                        + subject
                        + "' does not have subject-level compatibility configured"));
  }

  /** Sets the level of a subject, or the global one when subject is null. */
  CompatibilityLevel setLevel(String subject, String levelText) {
    CompatibilityLevel level =
        CompatibilityLevel.parse(levelText)
            .orElseThrow(
                () ->
                    new SchemaRegistryException(
                        422,
                        SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                        "Invalid compatibility level. Valid values are none, backward, forward,"
                            + " full, backward_transitive, forward_transitive, and full_transitive"));
    writeLock.lock();
    try {
      log.append(StoreRecords.configKey(subject), StoreRecords.configValue(level));
    } finally {
      writeLock.unlock();
    }
    return level;
  }

  /** Removes the subject's own level so the global one applies again; returns the removed one. */
  CompatibilityLevel deleteLevel(String subject) {
    CompatibilityLevel previous = subjectLevel(subject, false);
    writeLock.lock();
    try {
      log.append(StoreRecords.configKey(subject), null);
    } finally {
      writeLock.unlock();
    }
    return previous;
  }

  private List<String> violations(String subject, Schema schema, CompatibilityLevel level) {
    List<Schema> existing =
        state.liveVersions(subject).stream().map(r -> parse(r.schema())).toList();
    return level.violations(schema, existing);
  }

  private List<SchemaRecord> requireSubject(String subject) {
    List<SchemaRecord> live = state.liveVersions(subject);
    if (live.isEmpty()) {
      throw new SchemaRegistryException(
          404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }
    return live;
  }

  /** Answers from memory; on a 404 catches up with the log once (another instance may know). */
  private <T> T freshOnMiss(Supplier<T> query) {
    try {
      return query.get();
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
      log.sync();
      return query.get();
    }
  }

  private Schema parse(String canonical) {
    return parsed.computeIfAbsent(canonical, text -> new Schema.Parser().parse(text));
  }

  private static Schema parseCandidate(String schemaText) {
    if (schemaText == null || schemaText.isBlank()) {
      throw new SchemaRegistryException(
          422, SchemaRegistryException.INVALID_SCHEMA, "Empty schema");
    }
    try {
      return new Schema.Parser().parse(schemaText);
    } catch (AvroRuntimeException | IllegalArgumentException | NullPointerException e) {
      throw new SchemaRegistryException(
          422,
          SchemaRegistryException.INVALID_SCHEMA,
          "Either the input schema or one of its references is invalid: " + e.getMessage());
    }
  }

  private static int parseVersion(String text) {
    if ("latest".equals(text)) {
      return -1;
    }
    try {
      int version = Integer.parseInt(text);
      if (version == -1 || version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new SchemaRegistryException(
        422,
        SchemaRegistryException.INVALID_VERSION,
        "The specified version '"
            + text
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string"
            + " \"latest\"");
  }
}
