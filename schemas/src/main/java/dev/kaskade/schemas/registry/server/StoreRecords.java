package dev.kaskade.schemas.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.schemas.registry.server.RegistryState.SchemaRecord;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON records of the {@code _schemas} topic, shaped like Confluent's: keys {@code
 * {"keytype":"SCHEMA","subject":..,"version":..,"magic":1}} and {@code
 * {"keytype":"CONFIG","subject":..,"magic":0}} (no subject = global); SCHEMA values {@code
 * {"subject","version","id","schema","deleted"}}, CONFIG values {@code {"compatibilityLevel":..}}
 * (null value = config removed). Keys are written with a fixed field order so compaction sees one
 * key per subject version.
 */
final class StoreRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoreRecords() {}

  static byte[] schemaKey(String subject, int version) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "SCHEMA");
    key.put("subject", subject);
    key.put("version", version);
    key.put("magic", 1);
    return bytes(key);
  }

  static byte[] schemaValue(SchemaRecord record) {
    ObjectNode value = JSON.createObjectNode();
    value.put("subject", record.subject());
    value.put("version", record.version());
    value.put("id", record.id());
    value.put("schema", record.schema());
    value.put("deleted", record.deleted());
    return bytes(value);
  }

  static byte[] configKey(String subject) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "CONFIG");
    if (subject != null) {
      key.put("subject", subject);
    }
    key.put("magic", 0);
    return bytes(key);
  }

  static byte[] configValue(CompatibilityLevel level) {
    ObjectNode value = JSON.createObjectNode();
    value.put("compatibilityLevel", level.name());
    return bytes(value);
  }

  /** Applies one topic record to the state; records of other key types are skipped. */
  static void apply(RegistryState state, byte[] key, byte[] value) throws IOException {
    JsonNode keyNode = JSON.readTree(key);
    String type = keyNode.path("keytype").asText();
    switch (type) {
      case "SCHEMA" -> {
        if (value != null) {
          state.apply(schemaRecord(JSON.readTree(value)));
        }
      }
      case "CONFIG" -> {
        String subject = keyNode.hasNonNull("subject") ? keyNode.get("subject").asText() : null;
        CompatibilityLevel level =
            value == null
                ? null
                : CompatibilityLevel.parse(JSON.readTree(value).path("compatibilityLevel").asText())
                    .orElseThrow(() -> new IOException("unknown compatibility level"));
        state.applyConfig(subject, level);
      }
      default -> {
        // NOOP and other registries' key types carry nothing Kaskade needs
      }
    }
  }

  static SchemaRecord schemaRecord(JsonNode value) {
    return new SchemaRecord(
        value.path("subject").asText(),
        value.path("version").asInt(),
        value.path("id").asInt(),
        value.path("schema").asText(),
        value.path("deleted").asBoolean(false));
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
