package dev.kaskade.schemas.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorsTest {

  @Test
  void validateShapeAcceptsOrdinaryShapesAndReturnsTheElementCount() {
    assertThat(Tensors.validateShape("x", List.of(2L, 4L))).isEqualTo(8);
    assertThat(Tensors.validateShape("x", List.of())).isEqualTo(1);
    assertThat(Tensors.validateShape("x", List.of(0L))).isZero();
    assertThat(Tensors.validateShape("x", List.of(1L, 0L))).isZero();
    assertThat(Tensors.validateShape("x", Collections.nCopies(16, 1L))).isEqualTo(1);
  }

  @Test
  void validateShapeRefusesAHugeDimensionOverZeroElements() {
    assertInvalid(
        () -> Tensors.validateShape("x", List.of(2147483647L, 0L)), "exceeds its element count");
  }

  @Test
  void validateShapeRefusesARankOverTheLimitAndSaysWhichLimit() {
    List<Long> ones = Collections.nCopies(100_000, 1L);
    assertInvalid(() -> Tensors.validateShape("x", ones), "more than the limit of 16");
    assertInvalid(
        () -> Tensors.validateShape("x", List.of(1L, 1L, 1L), 2), "more than the limit of 2");
  }

  @Test
  void validateShapeRefusesOverflowingAndNegativeShapesAsInvalidArguments() {
    assertInvalid(() -> Tensors.validateShape("x", List.of(1L << 62, 4L)), "too many elements");
    assertInvalid(() -> Tensors.validateShape("x", List.of(-1L, 4L)), "negative");
  }

  @Test
  void elementCountOverflowIsAnInvalidArgumentNotAnArithmeticException() {
    assertInvalid(() -> Tensors.elementCount(List.of(1L << 62, 4L)), "too many elements");
  }

  @Test
  void checkDataLengthDoesNotWrapElementsTimesSize() {
    // 2^61 FP64 elements are 2^64 bytes, which wraps to 0 in a plain long multiplication.
    Tensor t = tensor(DataType.FP64, List.of(1L << 61), new byte[0]);
    assertInvalid(() -> Tensors.checkDataLength(t), "do not fit");
  }

  @Test
  void bytesElementsAreCountedAndTruncatedPrefixesRefused() {
    ByteBuffer two = Tensors.ofStrings("s", List.of(2L), List.of("ab", "")).getData();
    assertThat(Tensors.countBytesElements("s", two)).isEqualTo(2);
    Tensors.checkDataLength(tensor(DataType.BYTES, List.of(2L), bytes(two)));
    assertInvalid(
        () -> Tensors.checkDataLength(tensor(DataType.BYTES, List.of(3L), bytes(two))),
        "needs 3 BYTES elements, got 2");
    assertInvalid(
        () -> Tensors.countBytesElements("s", ByteBuffer.wrap(new byte[] {5, 0, 0, 0, 1})),
        "exceeds the data");
    assertInvalid(
        () -> Tensors.countBytesElements("s", ByteBuffer.wrap(new byte[] {1, 0})), "truncated");
  }

  @Test
  void messagesAbbreviateVeryLongShapes() {
    List<Long> shape = new ArrayList<>(Collections.nCopies(1000, 1L));
    assertThat(Tensors.abbreviated(shape)).contains("(1000 dims)").hasSizeLessThan(100);
  }

  private static byte[] bytes(ByteBuffer data) {
    ByteBuffer copy = data.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  private static Tensor tensor(DataType type, List<Long> shape, byte[] data) {
    return Tensor.newBuilder()
        .setName("t")
        .setDatatype(type)
        .setShape(new ArrayList<>(shape))
        .setData(ByteBuffer.wrap(data))
        .build();
  }

  private static void assertInvalid(Runnable action, String message) {
    assertThatThrownBy(action::run)
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining(message)
        .satisfies(
            e -> assertThat(((KaskadeException) e).reason()).isEqualTo(Reason.INVALID_ARGUMENT));
  }
}
