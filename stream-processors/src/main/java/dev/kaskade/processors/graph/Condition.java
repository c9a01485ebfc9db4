package dev.kaskade.processors.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kaskade.processors.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subset of GJSON path syntax that InferenceGraph conditions use. A condition matches when the
 * path yields a value.
 *
 * <ul>
 *   <li>{@code a.b.0.c}: object keys and array indexes; {@code \.} escapes a dot in a key
 *   <li>{@code @this}: the current value; {@code [p1,p2]}: an array of the values of each path
 *   <li>{@code #}: the length of an array, or with a rest path ({@code a.#.b}) that path mapped
 *       over the elements
 *   <li>{@code #(q)}: the first element matching query q; {@code #(q)#}: all of them. q is {@code
 *       path op literal} with op one of {@code == != < <= > >= % !%} ({@code %} = wildcard match
 *       with {@code *} and {@code ?}, on text of at most {@value #MAX_GLOB_TEXT} characters), or
 *       {@code op literal} against the element itself, or a bare path (matches when it exists).
 *       Literals: "string", number, true, false, null.
 *   <li>Kaskade extension: a whole expression {@code path op literal} (e.g. {@code
 *       instances.0.0>5}) yields the left value when the comparison holds.
 * </ul>
 */
public final class Condition {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] OPS = {"==", "!=", "<=", ">=", "!%", "<", ">", "%"};

  /** Longest text a {@code %} pattern is matched against. */
  static final int MAX_GLOB_TEXT = 4096;

  private Condition() {}

  /** Whether the expression yields a value on this document. */
  public static boolean matches(JsonNode document, String expression) {
    return evaluate(document, expression).isPresent();
  }

  /** The value the expression yields, if any. */
  public static Optional<JsonNode> evaluate(JsonNode document, String expression) {
    String expr = expression.trim();
    int[] op = findOperator(expr);
    if (op != null) {
      Optional<JsonNode> left = get(document, expr.substring(0, op[0]).trim());
      String operator = expr.substring(op[0], op[0] + op[1]);
      JsonNode literal = literal(expr.substring(op[0] + op[1]).trim());
      return left.filter(v -> compare(v, operator, literal));
    }
    return get(document, expr);
  }

  /** Resolves a path without comparison. */
  public static Optional<JsonNode> get(JsonNode document, String path) {
    if (path.isEmpty()) {
      return Optional.ofNullable(document);
    }
    List<String> parts = split(path);
    return walk(document, parts, 0);
  }

  private static Optional<JsonNode> walk(JsonNode current, List<String> parts, int i) {
    if (current == null || current.isMissingNode()) {
      return Optional.empty();
    }
    if (i == parts.size()) {
      return Optional.of(current);
    }
    String part = parts.get(i);
    if (part.equals("@this")) {
      return walk(current, parts, i + 1);
    }
    if (part.startsWith("[") && part.endsWith("]")) {
      ArrayNode array = Json.array();
      for (String sub : splitTopLevel(part.substring(1, part.length() - 1), ',')) {
        get(current, sub.trim()).ifPresent(array::add);
      }
      return walk(array, parts, i + 1);
    }
    if (part.equals("#")) {
      if (!current.isArray()) {
        return Optional.empty();
      }
      if (i == parts.size() - 1) {
        return Optional.of(NODES.numberNode(current.size()));
      }
      ArrayNode mapped = Json.array();
      for (JsonNode element : current) {
        walk(element, parts, i + 1).ifPresent(mapped::add);
      }
      return Optional.of(mapped);
    }
    if (part.startsWith("#(")) {
      return query(current, part, parts, i);
    }
    String key = part.replace("\\.", ".");
    if (current.isArray()) {
      try {
        return walk(current.get(Integer.parseInt(key)), parts, i + 1);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return walk(current.get(key), parts, i + 1);
  }

  private static Optional<JsonNode> query(
      JsonNode current, String part, List<String> parts, int i) {
    if (!current.isArray()) {
      return Optional.empty();
    }
    boolean all = part.endsWith(")#");
    String q = part.substring(2, part.length() - (all ? 2 : 1)).trim();
    ArrayNode hits = Json.array();
    for (JsonNode element : current) {
      if (evaluateQuery(element, q)) {
        if (!all) {
          return walk(element, parts, i + 1);
        }
        walk(element, parts, i + 1).ifPresent(hits::add);
      }
    }
    return all ? Optional.of(hits) : Optional.empty();
  }

  private static boolean evaluateQuery(JsonNode element, String q) {
    int[] op = findOperator(q);
    if (op == null) {
      return get(element, q).isPresent();
    }
    String left = q.substring(0, op[0]).trim();
    Optional<JsonNode> value = left.isEmpty() ? Optional.of(element) : get(element, left);
    JsonNode literal = literal(q.substring(op[0] + op[1]).trim());
    String operator = q.substring(op[0], op[0] + op[1]);
    return value.filter(v -> compare(v, operator, literal)).isPresent();
  }

  /** {start, length} of the first comparison operator outside brackets and quotes, or null. */
  private static int[] findOperator(String s) {
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      }
      if (quoted) {
        continue;
      }
      if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        depth--;
      } else if (depth == 0) {
        for (String op : OPS) {
          if (s.startsWith(op, i)) {
            return new int[] {i, op.length()};
          }
        }
      }
    }
    return null;
  }

  private static JsonNode literal(String text) {
    if (text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2) {
      return NODES.textNode(text.substring(1, text.length() - 1).replace("\\\"", "\""));
    }
    return switch (text) {
      case "true" -> NODES.booleanNode(true);
      case "false" -> NODES.booleanNode(false);
      case "null" -> NODES.nullNode();
      default -> {
        try {
          yield NODES.numberNode(Double.parseDouble(text));
        } catch (NumberFormatException e) {
          yield NODES.textNode(text);
        }
      }
    };
  }

  private static boolean compare(JsonNode value, String op, JsonNode literal) {
    if (op.equals("%") || op.equals("!%")) {
      boolean like = value.isTextual() && glob(value.asText(), literal.asText());
      return op.equals("%") == like;
    }
    int cmp;
    if (value.isNumber() && literal.isNumber()) {
      cmp = Double.compare(value.asDouble(), literal.asDouble());
    } else if (value.isTextual() && literal.isTextual()) {
      cmp = value.asText().compareTo(literal.asText());
    } else if (value.isBoolean() && literal.isBoolean()) {
      cmp = Boolean.compare(value.asBoolean(), literal.asBoolean());
    } else if (value.isNull() && literal.isNull()) {
      cmp = 0;
    } else {
      return op.equals("!=");
    }
    return switch (op) {
      case "==" -> cmp == 0;
      case "!=" -> cmp != 0;
      case "<" -> cmp < 0;
      case "<=" -> cmp <= 0;
      case ">" -> cmp > 0;
      default -> cmp >= 0;
    };
  }

  /**
   * Whether text matches a {@code *} / {@code ?} pattern, without regex backtracking: one pass that
   * remembers only the last {@code *}, so O(text × pattern) at worst. Text longer than {@value
   * #MAX_GLOB_TEXT} characters never matches (the pattern length is capped with the condition).
   */
  static boolean glob(String text, String pattern) {
    if (text.length() > MAX_GLOB_TEXT) {
      return false;
    }
    int t = 0;
    int p = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        t++;
        p++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  /** Splits a path on dots outside brackets, parentheses and quotes; keeps escaped dots. */
  static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\' && i + 1 < path.length() && path.charAt(i + 1) == '.' && depth == 0) {
        current.append("\\.");
        i++;
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '(' || c == '[')) {
        depth++;
      } else if (!quoted && (c == ')' || c == ']')) {
        depth--;
      } else if (!quoted && depth == 0 && c == '.') {
        parts.add(current.toString());
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    parts.add(current.toString());
    return parts;
  }

  private static List<String> splitTopLevel(String s, char separator) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        depth--;
      } else if (c == separator && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }
}
