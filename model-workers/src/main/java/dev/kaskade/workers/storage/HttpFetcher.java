package dev.kaskade.workers.storage;

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
import java.util.HexFormat;
import java.util.Locale;

/**
 * http(s) downloads: one GET, optional sha256 check, archives unpacked, all within the operator's
 * {@link StoragePolicy}: the host (and every redirect's) passes {@link HostGuard}, redirects stay
 * on the same host and scheme strength, and the body may not exceed {@code maxDownloadBytes}.
 * Messages carry the URI without user info or query.
 */
final class HttpFetcher {
  static final int MAX_REDIRECTS = 5;

  private HttpFetcher() {}

  /**
   * Downloads {@code uri} into {@code content}; returns the file, or {@code content} itself when
   * the download was an archive that got unpacked.
   */
  static Fetched fetch(String uri, Path content, StorageSettings settings, String expectedSha256)
      throws StorageException {
    URI target;
    try {
      target = URI.create(uri.replaceAll("#.*$", ""));
    } catch (IllegalArgumentException e) {
      throw new StorageException(Kind.INVALID_URI, "malformed URI " + Redact.uri(uri));
    }
    HostGuard.check(target, settings.policy());
    String name = StorageInitializer.fileName(target, "model");
    // redirects are followed here, not by the client, so that each one is checked
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    Path downloadDir = content.resolveSibling("download");
    Downloaded downloaded =
        StorageInitializer.withRetries(
            settings,
            "GET " + Redact.uri(target),
            () -> get(client, target, settings, downloadDir, name));
    if (expectedSha256 != null && !expectedSha256.equals(downloaded.sha256())) {
      throw new StorageException(
          Kind.CHECKSUM_MISMATCH,
          "checksum mismatch for "
              + Redact.uri(target)
              + ": expected sha256 "
              + expectedSha256
              + ", got "
              + downloaded.sha256());
    }
    try {
      Archives.Type archive = Archives.detect(name, downloaded.contentType());
      if (archive != null) {
        Archives.unpack(archive, downloaded.file(), content, settings.policy());
        Files.delete(downloaded.file());
        return new Fetched(content, downloaded.sha256());
      }
      Path file = content.resolve(name);
      Files.move(downloaded.file(), file, StandardCopyOption.REPLACE_EXISTING);
      return new Fetched(file, downloaded.sha256());
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, uri);
    } catch (IOException e) {
      throw new StorageException(
          Kind.IO, "cannot unpack " + Redact.uri(target) + ": " + e.getMessage(), e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * Extra request headers from the environment variable {@code <host>-headers} holding a JSON
   * object, as KServe's storage initializer reads them (e.g. {@code models.example.com-headers =
   * {"Authorization": "Bearer …"}}).
   */
  static java.util.Map<String, String> extraHeaders(URI target, StorageSettings settings)
      throws StorageException {
    String json =
        target.getHost() == null ? null : settings.env().apply(target.getHost() + "-headers");
    if (json == null || json.isBlank()) {
      return java.util.Map.of();
    }
    try {
      java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
      JSON.readTree(json)
          .fields()
          .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
      return headers;
    } catch (IOException | RuntimeException e) {
      // not the parser's message: it quotes the value, which holds a token
      throw new StorageException(
          Kind.INVALID_URI,
          "environment variable " + target.getHost() + "-headers is not a JSON object");
    }
  }

  /** The local model path and the sha256 of the bytes downloaded (the archive, when unpacked). */
  record Fetched(Path path, String sha256) {}

  private record Downloaded(Path file, String sha256, String contentType) {}

  private static Downloaded get(
      HttpClient client, URI target, StorageSettings settings, Path dir, String name)
      throws StorageException {
    URI current = target;
    for (int hop = 0; ; hop++) {
      HttpResponse<InputStream> response = send(client, current, settings);
      int status = response.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        closeQuietly(response.body());
        if (hop >= MAX_REDIRECTS) {
          throw new StorageException(
              Kind.NOT_FOUND,
              "GET " + Redact.uri(target) + ": more than " + MAX_REDIRECTS + " redirects");
        }
        current = redirect(current, response, settings);
        continue;
      }
      return body(response, current, settings, dir, name);
    }
  }

  private static HttpResponse<InputStream> send(
      HttpClient client, URI target, StorageSettings settings) throws StorageException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(settings.readTimeout());
    extraHeaders(target, settings).forEach(builder::header);
    try {
      return client.send(builder.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new StorageException(Kind.IO, "GET " + Redact.uri(target) + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(Kind.IO, "GET " + Redact.uri(target) + " interrupted", e);
    }
  }

  /**
   * The next URI of a redirect: only to the same host, never from https to http, and through {@link
   * HostGuard} again (a redirect is how an allowed host would lead to a denied address).
   */
  static URI redirect(URI from, HttpResponse<?> response, StorageSettings settings)
      throws StorageException {
    String location = response.headers().firstValue("Location").orElse(null);
    if (location == null) {
      throw new StorageException(
          Kind.NOT_FOUND,
          "GET " + Redact.uri(from) + " returned " + response.statusCode() + " without Location");
    }
    URI next;
    try {
      next = from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new StorageException(
          Kind.INVALID_URI, "GET " + Redact.uri(from) + " redirects to a malformed location");
    }
    boolean sameHost = next.getHost() != null && next.getHost().equalsIgnoreCase(from.getHost());
    boolean downgrade =
        "https".equalsIgnoreCase(from.getScheme()) && !"https".equalsIgnoreCase(next.getScheme());
    if (!sameHost || downgrade) {
      throw new StorageException(
          Kind.FORBIDDEN,
          "GET "
              + Redact.uri(from)
              + " redirects to "
              + Redact.uri(next)
              + ": redirects to another host (or from https to http) are refused; use the final"
              + " URI as storageUri");
    }
    HostGuard.check(next, settings.policy());
    return next;
  }

  private static Downloaded body(
      HttpResponse<InputStream> response,
      URI target,
      StorageSettings settings,
      Path dir,
      String name)
      throws StorageException {
    int status = response.statusCode();
    String where = "GET " + Redact.uri(target);
    try (InputStream body = response.body()) {
      if (status == 404 || status == 410) {
        throw new StorageException(Kind.NOT_FOUND, where + " returned " + status);
      }
      if (status == 401 || status == 403) {
        throw new StorageException(Kind.ACCESS_DENIED, where + " returned " + status);
      }
      if (status >= 500 || status == 429 || status == 408) {
        throw new StorageException(Kind.IO, where + " returned " + status);
      }
      if (status / 100 != 2) {
        throw new StorageException(Kind.NOT_FOUND, where + " returned " + status);
      }
      Limits.Budget budget =
          new Limits.Budget(
              "download size",
              settings.policy().maxDownloadBytes(),
              StoragePolicy.MAX_DOWNLOAD_BYTES);
      budget.expect(response.headers().firstValueAsLong("Content-Length").orElse(-1));
      Files.createDirectories(dir);
      Path file = dir.resolve(name);
      MessageDigest digest = StorageInitializer.sha256();
      try (DigestInputStream in = new DigestInputStream(budget.wrap(body), digest)) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      String type =
          response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
      return new Downloaded(file, HexFormat.of().formatHex(digest.digest()), type);
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, target.toString());
    } catch (IOException e) {
      throw new StorageException(Kind.IO, where + " failed while reading: " + e, e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // a redirect's body is not needed
    }
  }
}
