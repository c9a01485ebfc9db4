package dev.kaskade.gateway.auth;

import java.util.List;

/**
 * Who made a call: the verified token's {@code sub} and {@code groups}. {@link #ANONYMOUS} when the
 * gateway runs without authentication.
 */
public record Caller(String subject, List<String> groups) {
  public static final Caller ANONYMOUS = new Caller(null, List.of());

  public Caller {
    groups = List.copyOf(groups);
  }
}
