package dev.kaskade.gateway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The public keys tokens are checked against: a JWKS read from a file or fetched from an http(s)
 * URL, kept in memory. {@link #reload} is blocking and rate-limited: an unknown {@code kid} (the
 * IdP rotated its keys) may reload at most once per {@code minInterval}, so a flood of tokens with
 * made-up key ids cannot turn into a flood of fetches.
 */
public final class Jwks {
  private static final int MAX_BYTES = 1024 * 1024;
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

  private final String location;
  private final Duration refresh;
  private final Duration minInterval;
  private final Clock clock;
  private final AtomicReference<JWKSet> keys = new AtomicReference<>(new JWKSet());
  private volatile Instant loadedAt = Instant.EPOCH;
  private volatile Instant lastAttempt = Instant.EPOCH;

  public Jwks(String location, Duration refresh, Duration minInterval, Clock clock) {
    this.location = location;
    this.refresh = refresh;
    this.minInterval = minInterval;
    this.clock = clock;
  }

  /** Loads the keys now; fails when they cannot be read (the gateway then does not start). */
  public Jwks loadNow() {
    lastAttempt = clock.instant();
    try {
      store(fetch());
    } catch (IOException | ParseException e) {
      throw new IllegalStateException(
          "cannot read the JWKS " + location + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** The keys last loaded (public parts only). */
  public JWKSet current() {
    return keys.get();
  }

  /** Whether the keys are older than the refresh interval (a URL is fetched again then). */
  public boolean stale() {
    return clock.instant().isAfter(loadedAt.plus(refresh));
  }

  /**
   * Reloads unless the last attempt was less than the minimum interval ago. Blocking.
   *
   * @return whether a reload was attempted and succeeded
   */
  public synchronized boolean reload() {
    Instant now = clock.instant();
    if (now.isBefore(lastAttempt.plus(minInterval))) {
      return false;
    }
    lastAttempt = now;
    try {
      store(fetch());
      return true;
    } catch (IOException | ParseException e) {
      // Keep serving with the keys we have; the next attempt may succeed.
      org.slf4j.LoggerFactory.getLogger(Jwks.class)
          .warn("cannot reload the JWKS {}: {}", location, e.getMessage());
      return false;
    }
  }

  private void store(JWKSet set) {
    keys.set(set.toPublicJWKSet());
    loadedAt = clock.instant();
  }

  private JWKSet fetch() throws IOException, ParseException {
    return JWKSet.parse(isUrl(location) ? download(URI.create(location)) : readFile(location));
  }

  static boolean isUrl(String location) {
    return location.startsWith("https://") || location.startsWith("http://");
  }

  private static String readFile(String location) throws IOException {
    Path path = Path.of(location);
    if (Files.size(path) > MAX_BYTES) {
      throw new IOException("larger than " + MAX_BYTES + " bytes");
    }
    return Files.readString(path, StandardCharsets.UTF_8);
  }

  private static String download(URI uri) throws IOException {
    try (HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(FETCH_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build()) {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      if (response.body().length > MAX_BYTES) {
        throw new IOException("larger than " + MAX_BYTES + " bytes");
      }
      return new String(response.body(), StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
