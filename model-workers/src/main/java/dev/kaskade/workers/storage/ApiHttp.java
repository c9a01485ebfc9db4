package dev.kaskade.workers.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * GETs for the API-driven schemes ({@code hf://}, {@code oci://}): JSON calls and file downloads
 * with the fetchers' rules. Redirects are followed here, each through {@link HostGuard}, never from
 * https to http; unlike plain {@code https://} storage URIs they may change host (the hub and
 * registries send blobs to a CDN), and then the request headers (the token) are dropped, as the
 * hub's and registries' own clients do.
 */
final class ApiHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final StorageSettings settings;

  ApiHttp(StorageSettings settings) {
    this.settings = settings;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A response whose status is already known to be 2xx. */
  record Ok(HttpResponse<InputStream> response, URI uri) {}

  /** GET, following redirects; non-2xx statuses become {@link StorageException}s. */
  Ok get(URI target, Map<String, String> headers, String what) throws StorageException {
    URI current = target;
    Map<String, String> sent = headers;
    for (int hop = 0; ; hop++) {
      HostGuard.check(current, settings.policy());
      HttpResponse<InputStream> response = send(current, sent);
      int status = response.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        close(response.body());
        if (hop >= HttpFetcher.MAX_REDIRECTS) {
          throw new StorageException(
              Kind.NOT_FOUND, what + ": more than " + HttpFetcher.MAX_REDIRECTS + " redirects");
        }
        URI next = next(current, response, what);
        if (!next.getHost().equalsIgnoreCase(current.getHost())) {
          sent = Map.of();
        }
        current = next;
        continue;
      }
      if (status / 100 != 2) {
        close(response.body());
        throw failure(status, what + " (" + Redact.uri(current) + ")");
      }
      return new Ok(response, current);
    }
  }

  JsonNode json(URI target, Map<String, String> headers, String what) throws StorageException {
    Ok ok = StorageInitializer.withRetries(settings, what, () -> get(target, headers, what));
    try (InputStream body = ok.response().body()) {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new StorageException(Kind.IO, what + ": unreadable JSON answer: " + e.getMessage(), e);
    }
  }

  /**
   * Streams {@code target} to {@code file} within {@code budget}; returns the hex digest of the
   * bytes under {@code algorithm} (SHA-256, SHA-1), computed while they arrive.
   */
  String download(
      URI target,
      Map<String, String> headers,
      Path file,
      Limits.Budget budget,
      String algorithm,
      byte[] digestPrefix,
      String what)
      throws StorageException {
    return StorageInitializer.withRetries(
        settings,
        what,
        () -> {
          Ok ok = get(target, headers, what);
          MessageDigest digest = digest(algorithm);
          if (digestPrefix != null) {
            digest.update(digestPrefix);
          }
          try (InputStream body = ok.response().body();
              DigestInputStream in = new DigestInputStream(budget.wrap(body), digest)) {
            Files.createDirectories(file.getParent());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
          } catch (Limits.Exceeded e) {
            throw Limits.toStorage(e, target.toString());
          } catch (IOException e) {
            throw new StorageException(Kind.IO, what + " failed while reading: " + e, e);
          }
          return HexFormat.of().formatHex(digest.digest());
        });
  }

  static StorageException failure(int status, String where) {
    if (status == 404 || status == 410) {
      return new StorageException(Kind.NOT_FOUND, where + " returned " + status);
    }
    if (status == 401 || status == 403) {
      return new StorageException(Kind.ACCESS_DENIED, where + " returned " + status);
    }
    if (status >= 500 || status == 429 || status == 408) {
      return new StorageException(Kind.IO, where + " returned " + status);
    }
    return new StorageException(Kind.NOT_FOUND, where + " returned " + status);
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<InputStream> send(URI target, Map<String, String> headers)
      throws StorageException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(settings.readTimeout());
    headers.forEach(builder::header);
    try {
      return client.send(builder.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new StorageException(Kind.IO, "GET " + Redact.uri(target) + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(Kind.IO, "GET " + Redact.uri(target) + " interrupted", e);
    }
  }

  private static URI next(URI from, HttpResponse<?> response, String what) throws StorageException {
    String location = response.headers().firstValue("Location").orElse(null);
    URI next;
    try {
      next = location == null ? null : from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      next = null;
    }
    if (next == null || next.getHost() == null) {
      throw new StorageException(
          Kind.NOT_FOUND,
          what + ": redirect " + response.statusCode() + " without a usable Location");
    }
    if ("https".equalsIgnoreCase(from.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
      throw new StorageException(
          Kind.FORBIDDEN, what + ": redirect from https to " + Redact.uri(next) + " refused");
    }
    return next;
  }

  private static void close(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // the body of a redirect or an error is not needed
    }
  }
}
