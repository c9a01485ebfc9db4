package dev.kaskade.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.registry.SchemaRegistryException;
import dev.kaskade.schemas.serde.SerializationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class EncodingFailureTest {

  @Test
  void aDeterministicEncodingErrorIsInternalSoClientsDoNotRetryForever() {
    var failure =
        new SerializationFailure("cannot serialize", new NullPointerException("null field"));
    assertThat(EncodingFailure.of("m", failure).reason()).isEqualTo(Reason.INTERNAL);
  }

  @Test
  void aRegistryFailureIsUnavailableSoClientsRetry() {
    var failure =
        new SchemaRegistryException(
            0, SchemaRegistryException.UNREACHABLE, "cannot reach the registry");
    assertThat(EncodingFailure.of("m", failure).reason()).isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void anIoFailureAnywhereInTheCausesIsUnavailable() {
    var failure =
        new SerializationFailure(
            "cannot serialize", new UncheckedIOException(new IOException("broken pipe")));
    assertThat(EncodingFailure.of("m", failure).reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(EncodingFailure.of("m", failure).getMessage()).contains("m").contains("retry");
  }
}
