package dev.kaskade.schemas.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceHostTest {

  @Test
  void urlIsKServesNameNamespaceDomainHost() {
    assertThat(ResourceHost.url("iris", "team", ResourceHost.DEFAULT_DOMAIN))
        .isEqualTo("http://iris.team.example.com");
  }
}
