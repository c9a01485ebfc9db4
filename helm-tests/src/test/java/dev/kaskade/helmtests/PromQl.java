package dev.kaskade.helmtests;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small PromQL checker for the dashboard and the alert rules: brackets and quotes balance, every
 * function is one PromQL has, and the metric names a query reads are returned so a test can compare
 * them with what the components register. Not a full parser: enough to catch a typo in a metric or
 * function name, or a query that does not close.
 */
final class PromQl {
  static final Set<String> FUNCTIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "count",
          "topk",
          "bottomk",
          "quantile",
          "stddev",
          "rate",
          "irate",
          "increase",
          "delta",
          "histogram_quantile",
          "abs",
          "clamp_min",
          "clamp_max",
          "vector",
          "absent",
          "label_values",
          "avg_over_time",
          "max_over_time",
          "min_over_time");
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "inf",
          "nan");
  private static final Map<Character, Character> CLOSERS = Map.of('(', ')', '[', ']', '{', '}');
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|`[^`]*`");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private PromQl() {}

  /** The metric names {@code expr} reads; throws IllegalArgumentException when it is malformed. */
  static Set<String> metricNames(String expr) {
    String bare = STRING.matcher(expr).replaceAll("0");
    if (bare.chars().anyMatch(c -> c == '"' || c == '\'' || c == '`')) {
      throw new IllegalArgumentException("unclosed string in: " + expr);
    }
    checkBalanced(bare, expr);
    String outer = stripGroups(bare, '{', '}');
    outer = stripGroups(outer, '[', ']');
    outer = GROUPING.matcher(outer).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(outer);
    while (m.find()) {
      String word = m.group();
      if (m.start() > 0 && Character.isDigit(outer.charAt(m.start() - 1))) {
        continue; // a number's exponent or a duration unit, e.g. 1e3
      }
      if (nextNonBlank(outer, m.end()) == '(') {
        if (!FUNCTIONS.contains(word)) {
          throw new IllegalArgumentException("unknown function " + word + " in: " + expr);
        }
      } else if (!KEYWORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("reads no metric: " + expr);
    }
    return names;
  }

  private static void checkBalanced(String bare, String expr) {
    Deque<Character> open = new ArrayDeque<>();
    for (char c : bare.toCharArray()) {
      if (CLOSERS.containsKey(c)) {
        open.push(CLOSERS.get(c));
      } else if (CLOSERS.containsValue(c) && (open.isEmpty() || open.pop() != c)) {
        throw new IllegalArgumentException("unbalanced '" + c + "' in: " + expr);
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalArgumentException("missing '" + open.peek() + "' in: " + expr);
    }
  }

  private static String stripGroups(String s, char opener, char closer) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (char c : s.toCharArray()) {
      if (c == opener) {
        depth++;
      } else if (c == closer) {
        depth--;
        out.append(' ');
      } else if (depth == 0) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static char nextNonBlank(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return s.charAt(i);
      }
    }
    return 0;
  }
}
