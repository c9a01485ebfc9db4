package dev.kaskade.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostAddressTest {

  @Test
  void shouldReadNameAndNamespaceOfAStatusUrlHost() {
    assertThat(HostAddress.parse("iris-graph.default.example.com", "example.com"))
        .contains(new HostAddress("iris-graph", "default"));
    assertThat(HostAddress.parse("Iris.Team.Example.COM.", "example.com"))
        .contains(new HostAddress("iris", "team"));
  }

  @Test
  void shouldIgnoreHostsOutsideTheDomainOrWithTheWrongNumberOfLabels() {
    assertThat(HostAddress.parse("localhost", "example.com")).isEmpty();
    assertThat(HostAddress.parse("127.0.0.1", "example.com")).isEmpty();
    assertThat(HostAddress.parse("iris.default.example.org", "example.com")).isEmpty();
    assertThat(HostAddress.parse("default.example.com", "example.com")).isEmpty();
    assertThat(HostAddress.parse("a.b.default.example.com", "example.com")).isEmpty();
    assertThat(HostAddress.parse("iris..example.com", "example.com")).isEmpty();
    assertThat(HostAddress.parse(null, "example.com")).isEmpty();
  }

  @Test
  void shouldDropThePredictorComponentSuffix() {
    assertThat(new HostAddress("iris-predictor", "ns").withoutComponent())
        .isEqualTo(new HostAddress("iris", "ns"));
    assertThat(new HostAddress("iris-predictor-default", "ns").withoutComponent())
        .isEqualTo(new HostAddress("iris", "ns"));
  }
}
