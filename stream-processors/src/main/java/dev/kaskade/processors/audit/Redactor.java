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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Removes configured fields from a request/response pair before it is written to the audit topic. A
 * rule is a tensor name or a JSON path {@code $.a.b}; every rule applies to every representation of
 * the payload, because one call can carry both (a V1 {@code :explain} has a tensor and a
 * json_payload):
 *
 * <ul>
 *   <li>tensors named by the rule (a path names its last segment) get empty data, name and shape
 *       stay, and parameters with that key are removed (request, response and tensor parameters);
 *   <li>json_payload: a path removes that member (arrays on the way are walked element by element,
 *       so {@code $.instances.ssn} removes ssn from every instance); a name removes every member
 *       with that key at any depth and the data of every tensor object with that name.
 * </ul>
 *
 * Fails closed: a json_payload that cannot be parsed while rules exist is dropped whole, and
 * {@value #UNPARSEABLE} is recorded among the redacted fields.
 */
public final class Redactor {
  /** The redacted_fields entry recorded when an unparseable json_payload was dropped. */
  public static final String UNPARSEABLE = "json_payload (unparseable, dropped)";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Redactor() {}

  /** What was redacted, as the names and paths listed in PayloadAuditRecord.redacted_fields. */
  public static List<String> redact(
      InferenceRequest request, InferenceResponse response, List<String> rules) {
    if (rules.isEmpty()) {
      return List.of();
    }
    Set<String> redacted = new TreeSet<>();
    if (request != null) {
      request.setJsonPayload(redactJson(request.getJsonPayload(), rules, redacted));
      redactTensors(request.getInputs(), rules, redacted);
      request.setParameters(redactParameters(request.getParameters(), rules, redacted));
    }
    if (response != null) {
      response.setJsonPayload(redactJson(response.getJsonPayload(), rules, redacted));
      redactTensors(response.getOutputs(), rules, redacted);
      response.setParameters(redactParameters(response.getParameters(), rules, redacted));
    }
    return new ArrayList<>(redacted);
  }

  /** The tensor / parameter name a rule names: itself, or a path's last segment. */
  static String nameOf(String rule) {
    if (!rule.startsWith("$")) {
      return rule;
    }
    String[] segments = rule.split("\\.");
    return segments[segments.length - 1];
  }

  private static String redactJson(String json, List<String> rules, Set<String> redacted) {
    if (json == null) {
      return null;
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      root = null;
    }
    if (root == null) {
      redacted.add(UNPARSEABLE);
      return null;
    }
    boolean changed = false;
    for (String rule : rules) {
      boolean hit =
          rule.startsWith("$") ? removePath(root, rule) : removeEverywhere(root, nameOf(rule));
      if (hit) {
        redacted.add(rule);
        changed = true;
      }
    }
    return changed ? root.toString() : json;
  }

  private static void redactTensors(
      List<Tensor> tensors, List<String> rules, Set<String> redacted) {
    for (String rule : rules) {
      String name = nameOf(rule);
      for (Tensor tensor : tensors) {
        if (tensor.getName().equals(name)) {
          tensor.setData(ByteBuffer.allocate(0));
          redacted.add(rule);
        }
        if (tensor.getParameters().containsKey(name)) {
          tensor.setParameters(redactParameters(tensor.getParameters(), List.of(rule), redacted));
        }
      }
    }
  }

  /** A copy without the named keys (Avro maps may be immutable). */
  private static Map<String, String> redactParameters(
      Map<String, String> parameters, List<String> rules, Set<String> redacted) {
    Map<String, String> out = new HashMap<>(parameters);
    for (String rule : rules) {
      if (out.remove(nameOf(rule)) != null) {
        redacted.add(rule);
      }
    }
    return out;
  }

  static String removePath(String json, String path) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      return json;
    }
    return removePath(root, path) ? root.toString() : json;
  }

  private static boolean removePath(JsonNode root, String path) {
    String[] segments = path.replaceFirst("^\\$\\.?", "").split("\\.");
    if (segments.length == 0 || segments[0].isEmpty()) {
      return false;
    }
    return remove(root, segments, 0);
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

  /**
   * Removes members named {@code name} at any depth, and the data of tensor objects ({@code
   * {"name": name, "data": ...}}); iterative, so a deep document cannot overflow the stack.
   */
  private static boolean removeEverywhere(JsonNode root, String name) {
    boolean hit = false;
    List<JsonNode> work = new ArrayList<>(List.of(root));
    while (!work.isEmpty()) {
      JsonNode node = work.remove(work.size() - 1);
      if (node.isObject()) {
        ObjectNode object = (ObjectNode) node;
        hit |= object.remove(name) != null;
        if (name.equals(object.path("name").asText(null)) && object.remove("data") != null) {
          hit = true;
        }
      }
      if (node.isContainerNode()) {
        node.forEach(work::add);
      }
    }
    return hit;
  }
}
