package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {
  @Test
  void onePortNamedByTwoFlagsIsAUsageErrorNamingBoth() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("--http-port", 18080);
    ports.put("--grpc-port", 18081);
    ports.put("--kafka-port", 18080);
    assertThatThrownBy(() -> Ports.requireDistinct(ports))
        .isInstanceOf(CliException.class)
        .hasMessage("--http-port and --kafka-port both name port 18080: give each its own");
  }

  @Test
  void anyFreePortMayBeAskedForTwice() {
    assertThatCode(() -> Ports.requireDistinct(Map.of("--http-port", 0, "--grpc-port", 0)))
        .doesNotThrowAnyException();
  }

  @Test
  void freePortsAreDistinctBindableAndOutsideTheEphemeralRange() throws Exception {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = Ports.freePort();
      assertThat(port).isBetween(Ports.FIRST, Ports.LAST - 1);
      assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
    }
    int port = Ports.freePort();
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }
}
