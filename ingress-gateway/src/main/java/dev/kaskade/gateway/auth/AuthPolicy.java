package dev.kaskade.gateway.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Authorization rules: a call is allowed when one rule matches its caller (by {@code sub} or a
 * {@code groups} entry) and its {@link Target}. A list absent from a rule, or containing {@code *},
 * matches everything; a rule must name {@code subjects} or {@code groups}. Without a policy file
 * every authenticated caller is allowed ({@link #ALLOW_ALL}).
 */
public record AuthPolicy(List<Rule> rules) {
  public static final AuthPolicy ALLOW_ALL = new AuthPolicy(List.of(Rule.ANYONE));
  private static final String ANY = "*";
  private static final Set<String> FIELDS =
      Set.of("subjects", "groups", "namespaces", "models", "verbs");

  public AuthPolicy {
    rules = List.copyOf(rules);
  }

  /** One rule; empty lists mean "any", except that subjects and groups may not both be empty. */
  public record Rule(
      List<String> subjects,
      List<String> groups,
      List<String> namespaces,
      List<String> models,
      Set<Verb> verbs) {
    static final Rule ANYONE =
        new Rule(List.of(ANY), List.of(), List.of(), List.of(), EnumSet.allOf(Verb.class));

    public Rule {
      subjects = List.copyOf(subjects);
      groups = List.copyOf(groups);
      namespaces = List.copyOf(namespaces);
      models = List.copyOf(models);
      verbs = verbs.isEmpty() ? EnumSet.allOf(Verb.class) : EnumSet.copyOf(verbs);
    }

    boolean matches(Caller caller, Target target) {
      boolean who =
          subjects.contains(ANY)
              || (caller.subject() != null && subjects.contains(caller.subject()))
              || caller.groups().stream().anyMatch(groups::contains);
      return who
          && verbs.contains(target.verb())
          && any(namespaces, target.namespace())
          && (target.model() == null || any(models, target.model()));
    }

    private static boolean any(List<String> allowed, String value) {
      return allowed.isEmpty() || allowed.contains(ANY) || allowed.contains(value);
    }
  }

  public boolean allows(Caller caller, Target target) {
    return rules.stream().anyMatch(r -> r.matches(caller, target));
  }

  /** Reads a policy: a YAML list of rules, or a map whose {@code rules} is that list. */
  public static AuthPolicy load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the policy " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("policy " + file + ": " + e.getMessage(), e);
    }
  }

  static AuthPolicy parse(String yaml) {
    Object doc;
    try {
      doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not YAML: " + e.getMessage());
    }
    if (doc instanceof Map<?, ?> map && map.keySet().equals(Set.of("rules"))) {
      doc = map.get("rules");
    }
    if (!(doc instanceof List<?> list)) {
      throw new IllegalArgumentException("expected a list of rules");
    }
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> rule)) {
        throw new IllegalArgumentException("rule " + (i + 1) + " is not a map");
      }
      rules.add(rule(rule, i + 1));
    }
    return new AuthPolicy(rules);
  }

  private static Rule rule(Map<?, ?> map, int number) {
    for (Object key : map.keySet()) {
      if (!FIELDS.contains(String.valueOf(key))) {
        throw new IllegalArgumentException(
            "rule " + number + ": unknown field '" + key + "' (one of " + FIELDS + ")");
      }
    }
    List<String> subjects = strings(map, "subjects", number);
    List<String> groups = strings(map, "groups", number);
    if (subjects.isEmpty() && groups.isEmpty()) {
      throw new IllegalArgumentException("rule " + number + " names no subjects and no groups");
    }
    Set<Verb> verbs = EnumSet.noneOf(Verb.class);
    for (String verb : strings(map, "verbs", number)) {
      if (verb.equals(ANY)) {
        verbs.addAll(EnumSet.allOf(Verb.class));
      } else {
        verbs.add(Verb.parse(verb));
      }
    }
    return new Rule(
        subjects,
        groups,
        strings(map, "namespaces", number),
        strings(map, "models", number),
        verbs);
  }

  private static List<String> strings(Map<?, ?> map, String field, int number) {
    Object value = map.get(field);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String one) {
      return List.of(one);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    throw new IllegalArgumentException("rule " + number + ": " + field + " must be a list");
  }
}
