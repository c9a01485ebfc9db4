package dev.kaskade.processors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void removesNestedMemberFromEveryArrayElement() {
    String out = Redactor.removePath("{\"a\":{\"b\":[{\"c\":1,\"d\":2},{\"c\":3}]}}", "$.a.b.c");
    assertThat(out).isEqualTo("{\"a\":{\"b\":[{\"d\":2},{}]}}");
  }

  @Test
  void leavesJsonUntouchedWhenPathIsAbsent() {
    String json = "{\"a\":1}";
    assertThat(Redactor.removePath(json, "$.b")).isSameAs(json);
  }
}
