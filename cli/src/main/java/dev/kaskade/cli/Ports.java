package dev.kaskade.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Fails fast, naming the flag, when a port {@code up} needs is taken. */
final class Ports {
  private Ports() {}

  static void requireFree(int port, String flag) {
    if (port == 0) {
      return;
    }
    if (port < 0 || port > 65535) {
      throw new CliException(flag + " must be 0..65535, got " + port, ErrorHandler.USAGE_ERROR);
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("0.0.0.0", port));
    } catch (IOException e) {
      throw new CliException(
          "port " + port + " is already in use: choose another with " + flag + " <port>");
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new CliException("no free port: " + e.getMessage());
    }
  }
}
