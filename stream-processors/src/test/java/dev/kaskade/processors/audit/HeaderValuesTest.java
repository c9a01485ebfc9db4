package dev.kaskade.processors.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class HeaderValuesTest {

  @Test
  void printableAsciiStaysAsItIs() {
    assertThat(HeaderValues.encode("req-1:a.b_c {\"k\": [\"v\"]}"))
        .isEqualTo("req-1:a.b_c {\"k\": [\"v\"]}");
  }

  @Test
  void controlCharactersNonAsciiAndPercentAreEncoded() {
    assertThat(HeaderValues.encode("☃")).isEqualTo("%E2%98%83");
    assertThat(HeaderValues.encode("a\r\nb")).isEqualTo("a%0D%0Ab");
    assertThat(HeaderValues.encode("50%")).isEqualTo("50%25");
  }

  @Test
  void theJdkClientAcceptsEveryEncodedValue() {
    String hostile = "☃\u0000\n\u00ff\u0100";
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost/"));

    assertThatCode(() -> builder.header("ce-id", HeaderValues.encode(hostile)))
        .doesNotThrowAnyException();
  }
}
