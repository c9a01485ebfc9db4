package dev.kaskade.processors.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class LoggerUrlTest {

  @Test
  void malformedOrNonHttpUrlsAreRefusedAsIllegalArguments() {
    for (String bad : new String[] {"not a url", "file:///etc/passwd", "http://", "ftp://h/x"}) {
      assertThatThrownBy(() -> CloudEventsHttpDelivery.loggerUri(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void logNamesDropUserInfoAndQuery() {
    URI uri = CloudEventsHttpDelivery.loggerUri("https://user:secret@logs.example:8443/in?token=t");

    assertThat(CloudEventsHttpDelivery.safeName(uri)).isEqualTo("https://logs.example:8443/in");
  }

  @Test
  void linkLocalAndMetadataHostsAreRefused() {
    for (String bad :
        new String[] {
          "http://169.254.169.254/latest/meta-data/",
          "http://[fe80::1]:8080/in",
          "http://metadata.google.internal/computeMetadata/v1/"
        }) {
      assertThatThrownBy(() -> CloudEventsHttpDelivery.loggerUri(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("metadata address");
    }
    assertThat(CloudEventsHttpDelivery.loggerUri("http://127.0.0.1:9999/in").getPort())
        .as("loopback receivers stay allowed")
        .isEqualTo(9999);
  }
}
