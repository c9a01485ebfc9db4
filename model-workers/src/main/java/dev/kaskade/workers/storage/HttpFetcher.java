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

/** http(s) downloads: one GET, optional sha256 check, archives unpacked. */
final class HttpFetcher {
  private HttpFetcher() {}

  /**
   * Downloads {@code uri} into {@code content}; returns the file, or {@code content} itself when
   * the download was an archive that got unpacked.
   */
  static Path fetch(String uri, Path content, StorageSettings settings, String expectedSha256)
      throws StorageException {
    URI target;
    try {
      target = URI.create(uri.replaceAll("#.*$", ""));
    } catch (IllegalArgumentException e) {
      throw new StorageException(Kind.INVALID_URI, "malformed URI " + uri + ": " + e.getMessage());
    }
    String name = StorageInitializer.fileName(target, "model");
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    Path downloadDir = content.resolveSibling("download");
    Downloaded downloaded =
        StorageInitializer.withRetries(
            settings, "GET " + target, () -> get(client, target, settings, downloadDir, name));
    if (expectedSha256 != null && !expectedSha256.equals(downloaded.sha256())) {
      throw new StorageException(
          Kind.CHECKSUM_MISMATCH,
          "checksum mismatch for "
              + target
              + ": expected sha256 "
              + expectedSha256
              + ", got "
              + downloaded.sha256());
    }
    try {
      Archives.Type archive = Archives.detect(name, downloaded.contentType());
      if (archive != null) {
        Archives.unpack(archive, downloaded.file(), content);
        Files.delete(downloaded.file());
        return content;
      }
      Path file = content.resolve(name);
      Files.move(downloaded.file(), file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new StorageException(Kind.IO, "cannot unpack " + target + ": " + e.getMessage(), e);
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
      throw new StorageException(
          Kind.INVALID_URI,
          "environment variable "
              + target.getHost()
              + "-headers is not a JSON object: "
              + e.getMessage());
    }
  }

  private record Downloaded(Path file, String sha256, String contentType) {}

  private static Downloaded get(
      HttpClient client, URI target, StorageSettings settings, Path dir, String name)
      throws StorageException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(settings.readTimeout());
    extraHeaders(target, settings).forEach(builder::header);
    HttpRequest request = builder.GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new StorageException(Kind.IO, "GET " + target + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(Kind.IO, "GET " + target + " interrupted", e);
    }
    int status = response.statusCode();
    try (InputStream body = response.body()) {
      if (status == 404 || status == 410) {
        throw new StorageException(Kind.NOT_FOUND, "GET " + target + " returned " + status);
      }
      if (status == 401 || status == 403) {
        throw new StorageException(Kind.ACCESS_DENIED, "GET " + target + " returned " + status);
      }
      if (status >= 500 || status == 429 || status == 408) {
        throw new StorageException(Kind.IO, "GET " + target + " returned " + status);
      }
      if (status / 100 != 2) {
        throw new StorageException(Kind.NOT_FOUND, "GET " + target + " returned " + status);
      }
      Files.createDirectories(dir);
      Path file = dir.resolve(name);
      MessageDigest digest = StorageInitializer.sha256();
      try (DigestInputStream in = new DigestInputStream(body, digest)) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      String type =
          response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
      return new Downloaded(file, HexFormat.of().formatHex(digest.digest()), type);
    } catch (IOException e) {
      throw new StorageException(Kind.IO, "GET " + target + " failed while reading: " + e, e);
    }
  }
}
