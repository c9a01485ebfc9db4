package dev.kaskade.sink;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/** An in-memory schema registry for tests: ids by schema, versions by subject. */
public final class TestRegistry implements SchemaRegistryClient {
  private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
  private final Map<String, List<Integer>> subjects = new ConcurrentHashMap<>();

  @Override
  public synchronized int register(String subject, Schema schema) {
    int id = ids.computeIfAbsent(schema, s -> ids.size() + 1);
    schemas.put(id, schema);
    List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema schema = schemas.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(404, 40403, "schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public List<Integer> versions(String subject) {
    List<Integer> versions = new ArrayList<>();
    for (int i = 1; i <= subjects.getOrDefault(subject, List.of()).size(); i++) {
      versions.add(i);
    }
    return versions;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    List<Integer> list = subjects.get(subject);
    int id = list.get(list.size() - 1);
    return new RegisteredSchema(subject, list.size(), id, schemas.get(id));
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    int id = subjects.get(subject).get(version - 1);
    return new RegisteredSchema(subject, version, id, schemas.get(id));
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
    return new ArrayList<>(subjects.keySet());
  }
}
