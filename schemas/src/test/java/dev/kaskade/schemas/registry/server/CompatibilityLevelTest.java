package dev.kaskade.schemas.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class CompatibilityLevelTest {
  private static final Schema V1 =
      SchemaBuilder.record("R").fields().requiredString("a").endRecord();
  private static final Schema WITH_DEFAULTED_FIELD =
      SchemaBuilder.record("R")
          .fields()
          .requiredString("a")
          .name("b")
          .type()
          .intType()
          .intDefault(0)
          .endRecord();
  private static final Schema WITH_REQUIRED_FIELD =
      SchemaBuilder.record("R").fields().requiredString("a").requiredInt("b").endRecord();
  private static final Schema WITHOUT_A = SchemaBuilder.record("R").fields().endRecord();

  @Test
  void backwardAcceptsANewFieldWithDefaultAndRejectsOneWithout() {
    assertThat(CompatibilityLevel.BACKWARD.violations(WITH_DEFAULTED_FIELD, List.of(V1))).isEmpty();
    assertThat(CompatibilityLevel.BACKWARD.violations(WITH_REQUIRED_FIELD, List.of(V1)))
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT");
  }

  @Test
  void forwardRejectsRemovingAFieldOldReadersNeed() {
    assertThat(CompatibilityLevel.FORWARD.violations(WITHOUT_A, List.of(V1))).isNotEmpty();
    assertThat(CompatibilityLevel.BACKWARD.violations(WITHOUT_A, List.of(V1))).isEmpty();
    assertThat(CompatibilityLevel.FORWARD.violations(WITH_REQUIRED_FIELD, List.of(V1))).isEmpty();
  }

  @Test
  void fullNeedsBothDirections() {
    assertThat(CompatibilityLevel.FULL.violations(WITH_DEFAULTED_FIELD, List.of(V1))).isEmpty();
    assertThat(CompatibilityLevel.FULL.violations(WITH_REQUIRED_FIELD, List.of(V1))).isNotEmpty();
    assertThat(CompatibilityLevel.FULL.violations(WITHOUT_A, List.of(V1))).isNotEmpty();
  }

  @Test
  void transitiveChecksEveryVersionWhileNonTransitiveOnlyTheLatest() {
    // v3 reads v2 data (a gets its default) but not v1 data (a is a string there, an int in v3).
    Schema v2 = WITHOUT_A;
    Schema v3 =
        SchemaBuilder.record("R").fields().name("a").type().intType().intDefault(1).endRecord();
    List<Schema> history = List.of(V1, v2);
    assertThat(CompatibilityLevel.BACKWARD.violations(v3, history)).isEmpty();
    assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.violations(v3, history)).isNotEmpty();
  }

  @Test
  void noneAcceptsAnything() {
    assertThat(CompatibilityLevel.NONE.violations(WITH_REQUIRED_FIELD, List.of(V1))).isEmpty();
  }

  @Test
  void parsesLevelsCaseInsensitivelyAndRejectsUnknownOnes() {
    assertThat(CompatibilityLevel.parse("full_transitive"))
        .contains(CompatibilityLevel.FULL_TRANSITIVE);
    assertThat(CompatibilityLevel.parse("SOMETIMES")).isEmpty();
    assertThat(CompatibilityLevel.parse(null)).isEmpty();
  }
}
