package dev.kaskade.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Fails fast, naming the flag, when a port {@code up} needs is taken. */
final class Ports {
  /**
   * Where {@link #freePort} looks: below Linux's default ephemeral range (32768–60999), from which
   * the kernel picks the local port of every outgoing connection and of every bind to port 0.
   */
  static final int FIRST = 20_000;

  static final int LAST = 32_000;

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private Ports() {}

  static void requireFree(int port, String flag) {
    if (port == 0) {
      return;
    }
    if (port < 0 || port > 65535) {
      throw new CliException(flag + " must be 0..65535, got " + port, ErrorHandler.USAGE_ERROR);
    }
    if (!bindable(port)) {
      throw new CliException(
          "port " + port + " is already in use: choose another with " + flag + " <port>");
    }
  }

  /**
   * Refuses one port named by two flags ({@code flag → port}; 0, any free port, may repeat): each
   * would pass {@link #requireFree} alone, and the second listener would fail only seconds into the
   * start.
   */
  static void requireDistinct(Map<String, Integer> ports) {
    Map<Integer, String> byPort = new HashMap<>();
    ports.forEach(
        (flag, port) -> {
          if (port == 0) {
            return;
          }
          String other = byPort.putIfAbsent(port, flag);
          if (other != null) {
            throw new CliException(
                other + " and " + flag + " both name port " + port + ": give each its own",
                ErrorHandler.USAGE_ERROR);
          }
        });
  }

  /**
   * A port that is free now, for a child process to listen on (tests): never one this JVM handed
   * out before, and outside the ephemeral range, so neither a second call nor an outgoing
   * connection made meanwhile can take it before the child binds it.
   */
  static int freePort() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
      if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new CliException("no free port between " + FIRST + " and " + LAST);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
