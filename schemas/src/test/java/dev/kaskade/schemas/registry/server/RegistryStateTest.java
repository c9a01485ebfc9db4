package dev.kaskade.schemas.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.registry.server.RegistryState.SchemaRecord;
import org.junit.jupiter.api.Test;

class RegistryStateTest {
  private final RegistryState state = new RegistryState();

  @Test
  void firstRecordForASubjectVersionWinsOverALaterConflictingOne() {
    assertThat(state.apply(new SchemaRecord("s", 1, 1, "A", false))).isTrue();
    assertThat(state.apply(new SchemaRecord("s", 1, 2, "B", false))).isFalse();

    assertThat(state.record("s", 1)).get().extracting(SchemaRecord::schema).isEqualTo("A");
    assertThat(state.maxId()).isEqualTo(1);
  }

  @Test
  void rejectsAnIdAlreadyTakenByAnotherSchema() {
    state.apply(new SchemaRecord("s1", 1, 5, "A", false));

    assertThat(state.apply(new SchemaRecord("s2", 1, 5, "B", false))).isFalse();
    assertThat(state.liveVersions("s2")).isEmpty();
  }

  @Test
  void rejectsASecondIdForTheSameSchemaButSharesTheIdAcrossSubjects() {
    state.apply(new SchemaRecord("s1", 1, 5, "A", false));

    assertThat(state.apply(new SchemaRecord("s2", 1, 6, "A", false))).isFalse();
    assertThat(state.apply(new SchemaRecord("s2", 1, 5, "A", false))).isTrue();
    assertThat(state.idOf("A")).contains(5);
  }

  @Test
  void softDeleteHidesTheSubjectButKeepsIdsAndVersionNumbers() {
    state.apply(new SchemaRecord("s", 1, 1, "A", false));
    state.apply(new SchemaRecord("s", 2, 2, "B", false));

    assertThat(state.apply(new SchemaRecord("s", 1, 1, "A", true))).isTrue();
    state.apply(new SchemaRecord("s", 2, 2, "B", true));

    assertThat(state.subjects()).doesNotContain("s");
    assertThat(state.liveVersions("s")).isEmpty();
    assertThat(state.maxVersion("s")).isEqualTo(2);
    assertThat(state.schemaById(2)).contains("B");
  }

  @Test
  void subjectLevelOverridesGlobalUntilRemoved() {
    assertThat(state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.BACKWARD);
    state.applyConfig(null, CompatibilityLevel.FULL);
    state.applyConfig("s", CompatibilityLevel.NONE);
    assertThat(state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(state.effectiveLevel("t")).isEqualTo(CompatibilityLevel.FULL);

    state.applyConfig("s", null);

    assertThat(state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.FULL);
  }

  @Test
  void storeRecordsRoundTripThroughTheirJsonForm() throws Exception {
    SchemaRecord record = new SchemaRecord("sub", 3, 9, "{\"type\":\"string\"}", false);
    StoreRecords.apply(state, StoreRecords.schemaKey("sub", 3), StoreRecords.schemaValue(record));
    StoreRecords.apply(
        state, StoreRecords.configKey("sub"), StoreRecords.configValue(CompatibilityLevel.FORWARD));

    assertThat(state.record("sub", 3)).contains(record);
    assertThat(state.subjectLevel("sub")).contains(CompatibilityLevel.FORWARD);
    assertThat(new String(StoreRecords.schemaKey("sub", 3)))
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"sub\",\"version\":3,\"magic\":1}");
  }
}
