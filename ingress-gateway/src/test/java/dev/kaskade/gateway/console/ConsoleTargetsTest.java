package dev.kaskade.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.gateway.auth.ConsoleTargets;
import dev.kaskade.gateway.auth.Target;
import dev.kaskade.gateway.auth.Verb;
import org.junit.jupiter.api.Test;

class ConsoleTargetsTest {
  @Test
  void listsNeedMetadataOnTheNamespace() {
    assertThat(ConsoleTargets.of("/api/models", "default", null))
        .isEqualTo(new Target(Verb.METADATA, "default", null));
    assertThat(ConsoleTargets.of("/api/traffic", "team", "x"))
        .isEqualTo(new Target(Verb.METADATA, "team", null));
  }

  @Test
  void oneModelsViewsNeedMetadataOnThatModel() {
    assertThat(ConsoleTargets.of("/api/monitor/iris", "default", null))
        .isEqualTo(new Target(Verb.METADATA, "default", "iris"));
    assertThat(ConsoleTargets.of("/api/graphs/pipeline", "default", null))
        .isEqualTo(new Target(Verb.METADATA, "default", "pipeline"));
  }

  @Test
  void theAuditNeedsTheAuditVerbOnTheModelOrOnEveryModel() {
    assertThat(ConsoleTargets.of("/api/audit", "default", "iris"))
        .isEqualTo(new Target(Verb.AUDIT, "default", "iris"));
    assertThat(ConsoleTargets.of("/api/audit/records/abc", "default", null))
        .isEqualTo(new Target(Verb.AUDIT, "default", ""));
    assertThat(ConsoleTargets.of("/api/audit/verify", "default", " "))
        .isEqualTo(new Target(Verb.AUDIT, "default", ""));
  }

  @Test
  void unknownApiPathsNeedEveryModel() {
    assertThat(ConsoleTargets.of("/api/other", "default", "iris"))
        .isEqualTo(new Target(Verb.METADATA, "default", ""));
  }

  @Test
  void onlyGetsOfTheUiAreOpenAssets() {
    assertThat(ConsoleTargets.isAsset("GET", "/ui")).isTrue();
    assertThat(ConsoleTargets.isAsset("GET", "/ui/assets/console.js")).isTrue();
    assertThat(ConsoleTargets.isAsset("POST", "/ui")).isFalse();
    assertThat(ConsoleTargets.isAsset("GET", "/uix")).isFalse();
    assertThat(ConsoleTargets.isAsset("GET", "/api/models")).isFalse();
  }
}
