package dev.kaskade.processors.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Removes configured fields from a request/response pair before it is written to the audit topic. A
 * rule is either a tensor name (an input or output: its data becomes empty bytes, name and shape
 * stay) or a JSON path {@code $.a.b} into json_payload (the member is removed; arrays on the way
 * are walked element by element, so {@code $.instances.ssn} removes ssn from every instance).
 */
public final class Redactor {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Redactor() {}

  /** What was redacted, as the names and paths listed in PayloadAuditRecord.redacted_fields. */
  public static List<String> redact(
      InferenceRequest request, InferenceResponse response, List<String> rules) {
    if (rules.isEmpty()) {
      return List.of();
    }
    Set<String> redacted = new TreeSet<>();
    for (String rule : rules) {
      if (rule.startsWith("$")) {
        if (request != null && request.getJsonPayload() != null) {
          String out = removePath(request.getJsonPayload(), rule);
          if (!out.equals(request.getJsonPayload())) {
            request.setJsonPayload(out);
            redacted.add(rule);
          }
        }
        if (response != null && response.getJsonPayload() != null) {
          String out = removePath(response.getJsonPayload(), rule);
          if (!out.equals(response.getJsonPayload())) {
            response.setJsonPayload(out);
            redacted.add(rule);
          }
        }
      } else {
        if (request != null && blank(request.getInputs(), rule)) {
          redacted.add(rule);
        }
        if (response != null && blank(response.getOutputs(), rule)) {
          redacted.add(rule);
        }
      }
    }
    return new ArrayList<>(redacted);
  }

  private static boolean blank(List<Tensor> tensors, String name) {
    boolean hit = false;
    for (Tensor tensor : tensors) {
      if (tensor.getName().equals(name)) {
        tensor.setData(ByteBuffer.allocate(0));
        hit = true;
      }
    }
    return hit;
  }

  static String removePath(String json, String path) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      return json;
    }
    String[] segments = path.replaceFirst("^\\$\\.?", "").split("\\.");
    if (segments.length == 0 || segments[0].isEmpty()) {
      return json;
    }
    boolean removed = remove(root, segments, 0);
    return removed ? root.toString() : json;
  }

  private static boolean remove(JsonNode node, String[] segments, int index) {
    if (node == null) {
      return false;
    }
    if (node.isArray()) {
      boolean any = false;
      for (JsonNode element : node) {
        any |= remove(element, segments, index);
      }
      return any;
    }
    if (!node.isObject()) {
      return false;
    }
    String key = segments[index];
    if (index == segments.length - 1) {
      return ((ObjectNode) node).remove(key) != null;
    }
    return remove(node.get(key), segments, index + 1);
  }
}
