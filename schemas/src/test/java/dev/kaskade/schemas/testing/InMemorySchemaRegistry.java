package dev.kaskade.schemas.testing;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/** Registry test double: ids and versions in memory, every schema compatible. */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<String, List<RegisteredSchema>> bySubject = new ConcurrentHashMap<>();

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<RegisteredSchema> versions = bySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    for (RegisteredSchema registered : versions) {
      if (registered.schema().equals(schema)) {
        return registered.id();
      }
    }
    int id =
        byId.entrySet().stream()
            .filter(e -> e.getValue().equals(schema))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(byId.size() + 1);
    byId.put(id, schema);
    versions.add(new RegisteredSchema(subject, versions.size() + 1, id, schema));
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(404, 40403, "Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public List<Integer> versions(String subject) {
    return bySubject.getOrDefault(subject, List.of()).stream()
        .map(RegisteredSchema::version)
        .toList();
  }

  @Override
  public RegisteredSchema latest(String subject) {
    List<RegisteredSchema> versions = bySubject.getOrDefault(subject, List.of());
    if (versions.isEmpty()) {
      throw new SchemaRegistryException(404, 40401, "Subject " + subject + " not found");
    }
    return versions.get(versions.size() - 1);
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    return bySubject.getOrDefault(subject, List.of()).get(version - 1);
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
    return List.copyOf(bySubject.keySet());
  }
}
