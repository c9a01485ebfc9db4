package dev.kaskade.sink.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.V2Json;
import dev.kaskade.sink.chain.StoreLayout;
import dev.kaskade.sink.chain.StoreReader;
import dev.kaskade.sink.chain.StoredRecord;
import dev.kaskade.sink.store.BlobStore;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads the audit store directly (no Kafka needed, so it works with {@code kaskade up} stopped) and
 * renders matching records with decoded payloads.
 */
public final class AuditQuery {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * What to look for; null fields match everything.
   *
   * @param model InferenceService name
   * @param namespace namespace
   * @param from inclusive lower bound of ce_time
   * @param to exclusive upper bound of ce_time
   * @param id request id (ce_id)
   * @param limit at most this many records (oldest first); 0 = no limit
   * @param subject the caller's authenticated subject (exact match); records without one never
   *     match a subject
   */
  public record Criteria(
      String model,
      String namespace,
      Instant from,
      Instant to,
      String id,
      int limit,
      String subject) {
    /** Without a subject filter. */
    public Criteria(
        String model, String namespace, Instant from, Instant to, String id, int limit) {
      this(model, namespace, from, to, id, limit, null);
    }

    boolean matches(PayloadAuditRecord a, long fromMs, long toMs) {
      return a.getCeTime() >= fromMs
          && a.getCeTime() < toMs
          && (id == null || id.equals(a.getCeId()))
          && (subject == null || subject.equals(a.getSubject()));
    }
  }

  private AuditQuery() {}

  /** Matching records, ordered by ce_time then offset. */
  public static List<StoredRecord> find(BlobStore store, Criteria c) throws IOException {
    StoreReader reader = new StoreReader(store);
    long fromMs = c.from() == null ? Long.MIN_VALUE / 2 : c.from().toEpochMilli();
    long toMs = c.to() == null ? Long.MAX_VALUE / 2 : c.to().toEpochMilli();
    List<StoredRecord> out = new ArrayList<>();
    for (StoreLayout.FileKey file :
        reader.files(StoreReader.prefix(c.namespace(), c.model()), fromMs, toMs)) {
      if (!file.manifest()
          || (c.model() != null && !file.isvc().equals(StoreLayout.safe(c.model())))) {
        continue;
      }
      for (StoredRecord r : reader.records(StoreLayout.dataKeyOf(file.key()))) {
        if (c.matches(r.audit(), fromMs, toMs)) {
          out.add(r);
        }
      }
    }
    out.sort(
        Comparator.comparingLong((StoredRecord r) -> r.audit().getCeTime())
            .thenComparingInt(StoredRecord::partition)
            .thenComparingLong(StoredRecord::offset));
    return c.limit() > 0 && out.size() > c.limit() ? out.subList(0, c.limit()) : out;
  }

  /** One record as JSON: attributes plus V2 renderings of request and response. */
  public static ObjectNode toJson(StoredRecord r) {
    PayloadAuditRecord a = r.audit();
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", a.getCeId());
    n.put("namespace", a.getCeNamespace());
    n.put("inferenceservice", a.getCeInferenceservicename());
    n.put("time", Instant.ofEpochMilli(a.getCeTime()).toString());
    if (a.getResponseTime() != null) {
      n.put("response_time", Instant.ofEpochMilli(a.getResponseTime()).toString());
    }
    n.put("outcome", a.getOutcome().name());
    n.put("type", a.getCeType());
    n.put("source", a.getCeSource());
    n.put("component", a.getCeComponent());
    n.put("endpoint", a.getCeEndpoint());
    n.put("replay", a.getReplay());
    n.put("subject", a.getSubject());
    ArrayNode redacted = n.putArray("redacted_fields");
    a.getRedactedFields().forEach(redacted::add);
    n.set("metadata", parse(a.getCeMetadata()));
    n.set("request", a.getRequest() == null ? null : V2Json.request(a.getRequest()));
    n.set("response", a.getResponse() == null ? null : V2Json.response(a.getResponse()));
    n.put("partition", r.partition());
    n.put("offset", r.offset());
    return n;
  }

  /** Renders records as {@code json} (an array), {@code jsonl} or {@code table}. */
  public static void render(List<StoredRecord> records, String format, PrintStream out) {
    switch (format == null ? "table" : format.toLowerCase(Locale.ROOT)) {
      case "json" -> {
        ArrayNode array = MAPPER.createArrayNode();
        records.forEach(r -> array.add(toJson(r)));
        out.println(array.toPrettyString());
      }
      case "jsonl" -> records.forEach(r -> out.println(toJson(r).toString()));
      case "table" -> table(records, out);
      default ->
          throw new IllegalArgumentException("output must be json, jsonl or table: " + format);
    }
  }

  private static void table(List<StoredRecord> records, PrintStream out) {
    String format = "%-24s  %-36s  %-20s  %-13s  %-6s  %s%n";
    out.printf(format, "TIME", "ID", "MODEL", "OUTCOME", "REPLAY", "INPUTS -> OUTPUTS");
    for (StoredRecord r : records) {
      PayloadAuditRecord a = r.audit();
      String inputs = a.getRequest() == null ? "-" : summary(a.getRequest().getInputs());
      String outputs =
          a.getResponse() == null
              ? "-"
              : a.getResponse().getError() != null
                  ? "error " + a.getResponse().getError().getCode()
                  : summary(a.getResponse().getOutputs());
      out.printf(
          format,
          Instant.ofEpochMilli(a.getCeTime()),
          a.getCeId(),
          a.getCeNamespace() + "/" + a.getCeInferenceservicename(),
          a.getOutcome(),
          a.getReplay() ? "yes" : "",
          inputs + " -> " + outputs);
    }
    out.println(records.size() + " record(s)");
  }

  private static String summary(List<Tensor> tensors) {
    return tensors.stream()
        .map(t -> t.getName() + "=" + abbreviate(V2Json.tensors(List.of(t)).get(0).get("data")))
        .collect(Collectors.joining(" "));
  }

  private static String abbreviate(Object data) {
    String s = String.valueOf(data);
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      return MAPPER.getNodeFactory().textNode(json);
    }
  }
}
