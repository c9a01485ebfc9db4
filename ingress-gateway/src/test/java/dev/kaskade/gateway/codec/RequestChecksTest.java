package dev.kaskade.gateway.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.gateway.GatewayConfig;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import io.vertx.core.json.JsonArray;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestChecksTest {
  private static final GatewayConfig.RequestLimits LIMITS =
      new GatewayConfig.RequestLimits(1000, 4, 256, 1 << 20);

  @Test
  void uuidsAndKserveStyleIdsPass() {
    assertThatCode(
            () -> {
              RequestChecks.requestId(UUID.randomUUID().toString(), LIMITS);
              RequestChecks.requestId("req-42.a_b:c", LIMITS);
              RequestChecks.requestId("x".repeat(256), LIMITS);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void idsWithOtherCharactersAreRefusedNamingTheRuleWithoutEchoingThem() {
    for (String bad : List.of("☃", "a b", "a\nb", "", "id\u0000", "a/b")) {
      assertThatThrownBy(() -> RequestChecks.requestId(bad, LIMITS))
          .isInstanceOf(KaskadeException.class)
          .hasMessageContaining("[A-Za-z0-9._:-]")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("☃"));
    }
  }

  @Test
  void idsOverTheLengthLimitAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> RequestChecks.requestId("x".repeat(257), LIMITS))
        .hasMessageContaining("gateway.max.request.id.length")
        .hasMessageContaining("257");
  }

  @Test
  void shapesOverTheRankLimitNameTheSetting() {
    var t = TensorValues.tensor("x", DataType.FP32, Collections.nCopies(5, 1L), List.of(1.0));
    assertThatThrownBy(() -> RequestChecks.shapes(List.of(t), LIMITS))
        .hasMessageContaining("gateway.max.tensor.rank");
  }

  @Test
  void zeroElementShapesWithAHugeDimensionAreRefused() {
    var t = TensorValues.tensor("x", DataType.FP32, List.of(2147483647L, 0L), List.of());
    assertThatThrownBy(() -> RequestChecks.shapes(List.of(t), LIMITS))
        .hasMessageContaining("exceeds its element count");
  }

  @Test
  void jsonNestingDeeperThanTheRankLimitIsRefused() {
    JsonArray deep = new JsonArray().add(1);
    for (int i = 0; i < 5; i++) {
      deep = new JsonArray().add(deep);
    }
    JsonArray rows = deep;
    assertThatThrownBy(() -> RequestChecks.nesting("instances", rows, LIMITS))
        .hasMessageContaining("gateway.max.tensor.rank");
    assertThatCode(() -> RequestChecks.nesting("instances", new JsonArray("[[1,2],[3,4]]"), LIMITS))
        .doesNotThrowAnyException();
  }

  @Test
  void jsonNestingHiddenAfterTheFirstElementIsRefused() {
    JsonArray ragged = new JsonArray("[[1],[[[[[1]]]]]]");
    assertThatThrownBy(() -> RequestChecks.nesting("instances", ragged, LIMITS))
        .hasMessageContaining("gateway.max.tensor.rank");
    assertThatCode(() -> RequestChecks.nesting("instances", new JsonArray("[[1],[[2]]]"), LIMITS))
        .doesNotThrowAnyException();
  }

  @Test
  void jsonOverItsOwnLimitIsPayloadTooLargeNamingTheSetting() {
    assertThatThrownBy(() -> RequestChecks.jsonSize(1001, LIMITS))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining("gateway.max.json.body.bytes")
        .satisfies(
            e -> assertThat(((KaskadeException) e).reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE));
    assertThatCode(() -> RequestChecks.jsonSize(1000, LIMITS)).doesNotThrowAnyException();
  }
}
