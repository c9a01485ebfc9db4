package dev.kaskade.workers.storage;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code gs://bucket/prefix} with google-cloud-storage (JSON API over HTTP): every object under the
 * prefix is downloaded, each checked against the MD5 the service lists for it (composite objects
 * have none and go unchecked).
 *
 * <p>Settings from the worker's environment: {@code GOOGLE_APPLICATION_CREDENTIALS} (path of a
 * service-account JSON, KServe's {@code gcloud-application-credentials.json} secret), else
 * anonymous access (public buckets, as KServe's anonymous client); {@code STORAGE_EMULATOR_HOST}
 * (an endpoint such as {@code http://localhost:4443}, for an emulator or a private gateway); {@code
 * GOOGLE_CLOUD_PROJECT} (optional).
 */
final class GcsFetcher {
  static final String DEFAULT_HOST = "https://storage.googleapis.com";

  private GcsFetcher() {}

  static String host(StorageSettings settings) {
    String h = settings.env().apply("STORAGE_EMULATOR_HOST");
    if (h == null || h.isBlank()) {
      return DEFAULT_HOST;
    }
    h = h.trim();
    return h.contains("://") ? h : "http://" + h;
  }

  private static String credentialsFile(StorageSettings settings) {
    String f = settings.env().apply("GOOGLE_APPLICATION_CREDENTIALS");
    return f == null || f.isBlank() ? null : f.trim();
  }

  static String cacheIdentity(StorageSettings settings) {
    String file = credentialsFile(settings);
    return "endpoint=" + host(settings) + ";credentials=" + (file == null ? "anonymous" : file);
  }

  static Path fetch(String uri, Path content, StorageSettings settings)
      throws dev.kaskade.workers.storage.StorageException {
    String rest = uri.replaceAll("#.*$", "").substring("gs://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new dev.kaskade.workers.storage.StorageException(
          Kind.INVALID_URI, "gs:// URI has no bucket: " + uri);
    }
    HostGuard.check(URI.create(host(settings)), settings.policy());
    Storage storage = client(settings);
    List<Blob> blobs =
        StorageInitializer.withRetries(
            settings, "list " + uri, () -> call(uri, () -> list(storage, bucket, prefix)));
    if (blobs.isEmpty()) {
      throw new dev.kaskade.workers.storage.StorageException(
          Kind.NOT_FOUND, "no objects under " + uri);
    }
    Limits.Budget budget = budget(uri, blobs, settings.policy());
    Path single = null;
    for (Blob blob : blobs) {
      String relative = blob.getName().substring(prefix.length());
      while (relative.startsWith("/")) {
        relative = relative.substring(1);
      }
      boolean exact = relative.isEmpty();
      if (exact) {
        relative = blob.getName().substring(blob.getName().lastIndexOf('/') + 1);
      }
      Path out = content.resolve(relative).normalize();
      if (!out.startsWith(content)) {
        throw new dev.kaskade.workers.storage.StorageException(
            Kind.INVALID_URI, "object name " + blob.getName() + " escapes the target");
      }
      StorageInitializer.withRetries(
          settings,
          "get " + blob.getName(),
          () -> call(uri, () -> get(storage, blob, out, budget)));
      if (exact && blobs.size() == 1) {
        single = out;
      }
    }
    return single != null ? single : content;
  }

  private static Storage client(StorageSettings settings)
      throws dev.kaskade.workers.storage.StorageException {
    StorageOptions.Builder options = StorageOptions.http().setHost(host(settings));
    String project = settings.env().apply("GOOGLE_CLOUD_PROJECT");
    options.setProjectId(project == null || project.isBlank() ? "kaskade" : project.trim());
    String file = credentialsFile(settings);
    if (file == null) {
      options.setCredentials(NoCredentials.getInstance());
    } else {
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        options.setCredentials(
            GoogleCredentials.fromStream(in)
                .createScoped("https://www.googleapis.com/auth/devstorage.read_only"));
      } catch (IOException | RuntimeException e) {
        // not the parser's message: it may quote the key
        throw new dev.kaskade.workers.storage.StorageException(
            Kind.ACCESS_DENIED,
            "GOOGLE_APPLICATION_CREDENTIALS " + file + " is not a readable service-account JSON");
      }
    }
    return options.build().getService();
  }

  private static List<Blob> list(Storage storage, String bucket, String prefix) {
    List<Blob> blobs = new ArrayList<>();
    for (Blob blob : storage.list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll()) {
      String relative = blob.getName().substring(prefix.length());
      if (blob.getName().endsWith("/")) {
        continue; // "directory" placeholder
      }
      // gs://b/models/iris must not pick up models/iris2/…
      if (relative.isEmpty()
          || prefix.isEmpty()
          || prefix.endsWith("/")
          || relative.startsWith("/")) {
        blobs.add(blob);
      }
    }
    return blobs;
  }

  private static Limits.Budget budget(String uri, List<Blob> blobs, StoragePolicy policy)
      throws dev.kaskade.workers.storage.StorageException {
    Limits.Budget budget =
        new Limits.Budget(
            "download size", policy.maxDownloadBytes(), StoragePolicy.MAX_DOWNLOAD_BYTES);
    try {
      if (blobs.size() > policy.maxEntries()) {
        throw new Limits.Exceeded(
            "object count (" + blobs.size() + ")", policy.maxEntries(), StoragePolicy.MAX_ENTRIES);
      }
      budget.expect(blobs.stream().mapToLong(b -> b.getSize() == null ? 0 : b.getSize()).sum());
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, uri);
    }
    return budget;
  }

  private static Path get(Storage storage, Blob blob, Path out, Limits.Budget budget)
      throws IOException {
    Files.createDirectories(out.getParent());
    Files.deleteIfExists(out);
    MessageDigest md5 = ApiHttp.digest("MD5");
    try (ReadChannel reader = storage.reader(BlobId.of(blob.getBucket(), blob.getName()));
        InputStream in = new DigestInputStream(budget.wrap(Channels.newInputStream(reader)), md5)) {
      Files.copy(in, out);
    }
    String expected = blob.getMd5();
    String got = Base64.getEncoder().encodeToString(md5.digest());
    if (expected != null && !expected.equals(got)) {
      throw new ChecksumMismatch(
          "gs://"
              + blob.getBucket()
              + "/"
              + blob.getName()
              + " has MD5 "
              + got
              + ", listed "
              + expected);
    }
    return out;
  }

  @FunctionalInterface
  private interface GcsCall<T> {
    T run() throws IOException;
  }

  private static <T> T call(String uri, GcsCall<T> call)
      throws dev.kaskade.workers.storage.StorageException {
    try {
      return call.run();
    } catch (StorageException e) {
      String detail = Redact.uri(uri) + ": " + e.getReason() + " (HTTP " + e.getCode() + ")";
      Kind kind =
          switch (e.getCode()) {
            case 401, 403 -> Kind.ACCESS_DENIED;
            case 404 -> Kind.NOT_FOUND;
            case 0, 408, 429, 500, 502, 503, 504 -> Kind.IO;
            default -> e.getCode() >= 500 ? Kind.IO : Kind.NOT_FOUND;
          };
      String what =
          switch (kind) {
            case ACCESS_DENIED -> "GCS access denied for ";
            case NOT_FOUND -> "GCS object not found at ";
            default -> "GCS request failed for ";
          };
      throw new dev.kaskade.workers.storage.StorageException(kind, what + detail, e);
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, uri);
    } catch (ChecksumMismatch e) {
      throw new dev.kaskade.workers.storage.StorageException(
          Kind.CHECKSUM_MISMATCH, "checksum mismatch: " + e.getMessage(), e);
    } catch (IOException e) {
      if (e.getCause() instanceof StorageException se) {
        return call(
            uri,
            () -> {
              throw se;
            });
      }
      throw new dev.kaskade.workers.storage.StorageException(
          Kind.IO, "GCS download of " + Redact.uri(uri) + " failed: " + e, e);
    }
  }
}
