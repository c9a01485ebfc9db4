package dev.kaskade.gateway.testing;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry double for the broker-restart test, where the registry's own store would go down with
 * the broker and is not what the test is about. Other ITs use the real embedded registry.
 */
public final class InMemoryRegistry implements SchemaRegistryClient {
  private final Map<String, Integer> idsBySchema = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, List<Integer>> subjects = new ConcurrentHashMap<>();

  @Override
  public synchronized int register(String subject, Schema schema) {
    int id = idsBySchema.computeIfAbsent(schema.toString(), s -> idsBySchema.size() + 1);
    schemasById.put(id, schema);
    List<Integer> ids = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!ids.contains(id)) {
      ids.add(id);
    }
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(404, 40403, "Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public List<Integer> versions(String subject) {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= subjects.getOrDefault(subject, List.of()).size(); i++) {
      out.add(i);
    }
    return out;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    List<Integer> ids = subjects.get(subject);
    int id = ids.get(ids.size() - 1);
    return new RegisteredSchema(subject, ids.size(), id, schemasById.get(id));
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    int id = subjects.get(subject).get(version - 1);
    return new RegisteredSchema(subject, version, id, schemasById.get(id));
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
