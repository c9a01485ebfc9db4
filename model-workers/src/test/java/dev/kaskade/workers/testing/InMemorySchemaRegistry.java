package dev.kaskade.workers.testing;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/** Schema registry test double: ids are global, one per distinct schema text. */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
  private final Map<String, Integer> idBySchema = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();
  private final Map<String, List<Integer>> idsBySubject = new ConcurrentHashMap<>();

  @Override
  public synchronized int register(String subject, Schema schema) {
    int id =
        idBySchema.computeIfAbsent(
            schema.toString(),
            s -> {
              int next = schemaById.size() + 1;
              schemaById.put(next, schema);
              return next;
            });
    List<Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!ids.contains(id)) {
      ids.add(id);
    }
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema schema = schemaById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(
          404, SchemaRegistryException.SCHEMA_NOT_FOUND, "schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    int n = idsBySubject.getOrDefault(subject, List.of()).size();
    List<Integer> versions = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      versions.add(i);
    }
    return versions;
  }

  @Override
  public synchronized RegisteredSchema latest(String subject) {
    List<Integer> ids = idsBySubject.get(subject);
    if (ids == null || ids.isEmpty()) {
      throw new SchemaRegistryException(
          404, SchemaRegistryException.SUBJECT_NOT_FOUND, "subject " + subject + " not found");
    }
    return version(subject, ids.size());
  }

  @Override
  public synchronized RegisteredSchema version(String subject, int version) {
    int id = idsBySubject.get(subject).get(version - 1);
    return new RegisteredSchema(subject, version, id, schemaById.get(id));
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    return true;
  }

  @Override
  public String compatibility(String subject) {
    return "BACKWARD";
  }

  @Override
  public void setCompatibility(String subject, String level) {}

  @Override
  public List<String> subjects() {
    return List.copyOf(idsBySubject.keySet());
  }
}
