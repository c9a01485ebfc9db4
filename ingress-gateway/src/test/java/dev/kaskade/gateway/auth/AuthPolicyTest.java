package dev.kaskade.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthPolicyTest {
  private static final Caller ALICE = new Caller("alice", List.of());
  private static final Caller BOB = new Caller("bob", List.of("ml-team"));
  private static final Caller EVE = new Caller("eve", List.of("guests"));

  private static final AuthPolicy POLICY =
      AuthPolicy.parse(
          """
          - subjects: [alice]
            namespaces: [default]
            models: [iris]
            verbs: [infer]
          - groups: [ml-team]
            namespaces: ["*"]
            models: ["*"]
            verbs: [infer, explain, metadata]
          - subjects: ["*"]
            namespaces: [public]
            verbs: [metadata]
          """);

  @Test
  void aSubjectRuleAllowsExactlyItsModelVerbAndNamespace() {
    assertThat(POLICY.allows(ALICE, new Target(Verb.INFER, "default", "iris"))).isTrue();
    assertThat(POLICY.allows(ALICE, new Target(Verb.INFER, "default", "wine"))).isFalse();
    assertThat(POLICY.allows(ALICE, new Target(Verb.EXPLAIN, "default", "iris"))).isFalse();
    assertThat(POLICY.allows(ALICE, new Target(Verb.INFER, "prod", "iris"))).isFalse();
  }

  @Test
  void aGroupRuleAllowsItsMembersWithWildcards() {
    assertThat(POLICY.allows(BOB, new Target(Verb.EXPLAIN, "prod", "anything"))).isTrue();
    assertThat(POLICY.allows(BOB, new Target(Verb.GENERATE, "prod", "llm"))).isFalse();
    assertThat(POLICY.allows(EVE, new Target(Verb.INFER, "prod", "anything"))).isFalse();
  }

  @Test
  void anyoneMayReadMetadataWhereARuleSaysSo() {
    assertThat(POLICY.allows(EVE, new Target(Verb.METADATA, "public", "m"))).isTrue();
    assertThat(POLICY.allows(EVE, new Target(Verb.METADATA, "public", null))).isTrue();
    assertThat(POLICY.allows(EVE, new Target(Verb.METADATA, "default", null))).isFalse();
  }

  @Test
  void aListNamingNoModelNeedsAMatchingVerbAndNamespaceOnly() {
    assertThat(POLICY.allows(ALICE, new Target(Verb.METADATA, "default", null))).isFalse();
    assertThat(POLICY.allows(ALICE, new Target(Verb.INFER, "default", null))).isTrue();
  }

  @Test
  void withoutAPolicyEveryCallerMayCallEverything() {
    assertThat(AuthPolicy.ALLOW_ALL.allows(EVE, new Target(Verb.GENERATE, "x", "y"))).isTrue();
  }

  @Test
  void aRulesMapIsAcceptedToo() {
    AuthPolicy policy = AuthPolicy.parse("rules:\n  - subjects: [alice]\n    verbs: ['*']\n");

    assertThat(policy.allows(ALICE, new Target(Verb.GENERATE, "any", "m"))).isTrue();
    assertThat(policy.allows(BOB, new Target(Verb.GENERATE, "any", "m"))).isFalse();
  }

  @Test
  void mistakesAreReportedWithTheRuleNumber() {
    assertThatThrownBy(() -> AuthPolicy.parse("- subjects: [a]\n  verb: [infer]\n"))
        .hasMessageContaining("rule 1")
        .hasMessageContaining("verb");
    assertThatThrownBy(() -> AuthPolicy.parse("- subjects: [a]\n- models: [x]\n"))
        .hasMessageContaining("rule 2 names no subjects and no groups");
    assertThatThrownBy(() -> AuthPolicy.parse("- subjects: [a]\n  verbs: [predict]\n"))
        .hasMessageContaining("unknown verb 'predict'");
    assertThatThrownBy(() -> AuthPolicy.parse("subjects: [a]"))
        .hasMessageContaining("list of rules");
  }
}
