package dev.kaskade.workers.storage;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.HttpClientOptions;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure Blob storage URIs, {@code https://<account>.blob.core.windows.net/<container>/<path>} as
 * KServe writes them, with azure-storage-blob (on the JDK HTTP client): every blob under the path
 * is downloaded and checked against the Content-MD5 the service lists for it.
 *
 * <p>Credentials from the worker's environment, as KServe's storage initializer takes them: {@code
 * AZURE_STORAGE_ACCESS_KEY} (the account key), else {@code AZURE_STORAGE_SAS_TOKEN} or a SAS token
 * in the URI's query, else anonymous (a public container). {@code AZURE_STORAGE_BLOB_ENDPOINT}
 * replaces {@code https://<account>.blob.core.windows.net} (Azurite's {@code
 * http://127.0.0.1:10000/devstoreaccount1}, a private endpoint).
 */
final class AzureBlobFetcher {
  private static final Pattern AZURE =
      Pattern.compile(
          "https://([a-z0-9]{3,24})\\.blob\\.core\\.windows\\.net/([a-z0-9$][a-z0-9-]{1,62})(/[^?#]*)?(\\?[^#]*)?(#.*)?");

  private AzureBlobFetcher() {}

  /** Whether an https URI names Azure Blob storage. */
  static boolean matches(String uri) {
    try {
      String host = URI.create(uri.replaceAll("#.*$", "")).getHost();
      return host != null && host.toLowerCase(Locale.ROOT).endsWith(".blob.core.windows.net");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A parsed Azure Blob URI; {@code sas} is the query, if any. */
  record Ref(String account, String container, String prefix, String sas) {
    static Ref parse(String uri) throws StorageException {
      Matcher m = AZURE.matcher(uri);
      if (!m.matches()) {
        throw new StorageException(
            Kind.INVALID_URI,
            "Azure Blob URI must be https://<account>.blob.core.windows.net/<container>/<path>: "
                + Redact.uri(uri));
      }
      String path = m.group(3) == null ? "" : m.group(3).substring(1);
      String sas = m.group(4) == null ? null : m.group(4).substring(1);
      return new Ref(m.group(1), m.group(2), path, sas);
    }
  }

  static String endpoint(Ref ref, StorageSettings settings) {
    String e = settings.env().apply("AZURE_STORAGE_BLOB_ENDPOINT");
    if (e == null || e.isBlank()) {
      return "https://" + ref.account() + ".blob.core.windows.net";
    }
    e = e.trim();
    return e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
  }

  private static String env(StorageSettings settings, String name) {
    String v = settings.env().apply(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  static String cacheIdentity(String uri, StorageSettings settings) {
    try {
      Ref ref = Ref.parse(uri);
      String how =
          env(settings, "AZURE_STORAGE_ACCESS_KEY") != null
              ? "key"
              : ref.sas() != null || env(settings, "AZURE_STORAGE_SAS_TOKEN") != null
                  ? "sas"
                  : "anonymous";
      return "endpoint=" + endpoint(ref, settings) + ";credentials=" + how;
    } catch (StorageException e) {
      return "";
    }
  }

  static Path fetch(String uri, Path content, StorageSettings settings) throws StorageException {
    Ref ref = Ref.parse(uri);
    String endpoint = endpoint(ref, settings);
    HostGuard.check(URI.create(endpoint), settings.policy());
    String where = "Azure Blob " + ref.account() + "/" + ref.container() + "/" + ref.prefix();
    BlobContainerClient container =
        client(ref, endpoint, settings).getBlobContainerClient(ref.container());
    List<BlobItem> blobs = call(where, () -> list(container, ref.prefix()));
    if (blobs.isEmpty()) {
      throw new StorageException(Kind.NOT_FOUND, "no blobs under " + where);
    }
    Limits.Budget budget = budget(uri, blobs, settings.policy());
    Path single = null;
    for (BlobItem blob : blobs) {
      String relative = blob.getName().substring(ref.prefix().length());
      while (relative.startsWith("/")) {
        relative = relative.substring(1);
      }
      boolean exact = relative.isEmpty();
      if (exact) {
        relative = blob.getName().substring(blob.getName().lastIndexOf('/') + 1);
      }
      Path out = content.resolve(relative).normalize();
      if (!out.startsWith(content)) {
        throw new StorageException(
            Kind.INVALID_URI, "blob " + blob.getName() + " escapes the target");
      }
      call(where, () -> get(container, blob, out, budget));
      if (exact && blobs.size() == 1) {
        single = out;
      }
    }
    return single != null ? single : content;
  }

  private static BlobServiceClient client(Ref ref, String endpoint, StorageSettings settings) {
    BlobServiceClientBuilder builder =
        new BlobServiceClientBuilder()
            .endpoint(endpoint)
            .httpClient(
                new JdkHttpClientBuilder().connectionTimeout(settings.connectTimeout()).build())
            .clientOptions(new HttpClientOptions().setResponseTimeout(settings.readTimeout()))
            .retryOptions(
                new RequestRetryOptions(
                    RetryPolicyType.EXPONENTIAL,
                    settings.maxAttempts(),
                    (Integer) null,
                    Math.max(1, settings.initialBackoff().toMillis()),
                    10_000L,
                    null));
    String key = env(settings, "AZURE_STORAGE_ACCESS_KEY");
    String sas = ref.sas() != null ? ref.sas() : env(settings, "AZURE_STORAGE_SAS_TOKEN");
    if (key != null) {
      builder.credential(new StorageSharedKeyCredential(ref.account(), key));
    } else if (sas != null) {
      builder.sasToken(sas);
    }
    return builder.buildClient();
  }

  private static List<BlobItem> list(BlobContainerClient container, String prefix) {
    List<BlobItem> blobs = new ArrayList<>();
    for (BlobItem blob : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
      String relative = blob.getName().substring(prefix.length());
      if (blob.getName().endsWith("/") || Boolean.TRUE.equals(blob.isPrefix())) {
        continue;
      }
      // …/models/iris must not pick up models/iris2/…
      if (relative.isEmpty()
          || prefix.isEmpty()
          || prefix.endsWith("/")
          || relative.startsWith("/")) {
        blobs.add(blob);
      }
    }
    return blobs;
  }

  private static Limits.Budget budget(String uri, List<BlobItem> blobs, StoragePolicy policy)
      throws StorageException {
    Limits.Budget budget =
        new Limits.Budget(
            "download size", policy.maxDownloadBytes(), StoragePolicy.MAX_DOWNLOAD_BYTES);
    try {
      if (blobs.size() > policy.maxEntries()) {
        throw new Limits.Exceeded(
            "blob count (" + blobs.size() + ")", policy.maxEntries(), StoragePolicy.MAX_ENTRIES);
      }
      budget.expect(
          blobs.stream()
              .mapToLong(
                  b ->
                      b.getProperties() == null || b.getProperties().getContentLength() == null
                          ? 0
                          : b.getProperties().getContentLength())
              .sum());
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, uri);
    }
    return budget;
  }

  private static Path get(
      BlobContainerClient container, BlobItem blob, Path out, Limits.Budget budget)
      throws IOException {
    Files.createDirectories(out.getParent());
    Files.deleteIfExists(out);
    MessageDigest md5 = ApiHttp.digest("MD5");
    try (InputStream in =
        new DigestInputStream(
            budget.wrap(container.getBlobClient(blob.getName()).openInputStream()), md5)) {
      Files.copy(in, out);
    }
    byte[] expected = blob.getProperties() == null ? null : blob.getProperties().getContentMd5();
    byte[] got = md5.digest();
    if (expected != null && expected.length > 0 && !Arrays.equals(expected, got)) {
      throw new ChecksumMismatch(
          "checksum mismatch: blob " + blob.getName() + " differs from its listed Content-MD5");
    }
    return out;
  }

  @FunctionalInterface
  private interface AzureCall<T> {
    T run() throws IOException;
  }

  private static <T> T call(String where, AzureCall<T> call) throws StorageException {
    try {
      return call.run();
    } catch (BlobStorageException e) {
      String detail = where + ": " + e.getErrorCode() + " (HTTP " + e.getStatusCode() + ")";
      throw switch (e.getStatusCode()) {
        case 401, 403 -> new StorageException(Kind.ACCESS_DENIED, "access denied for " + detail, e);
        case 404 -> new StorageException(Kind.NOT_FOUND, "not found: " + detail, e);
        default -> new StorageException(Kind.IO, "request failed for " + detail, e);
      };
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, where);
    } catch (ChecksumMismatch e) {
      throw new StorageException(Kind.CHECKSUM_MISMATCH, e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BlobStorageException bse) {
        return call(
            where,
            () -> {
              throw bse;
            });
      }
      if (cause instanceof Limits.Exceeded le) {
        throw Limits.toStorage(le, where);
      }
      throw new StorageException(Kind.IO, "download of " + where + " failed: " + e, e);
    } catch (RuntimeException e) {
      // the SDK's own client errors (connection refused after its retries); its message can hold
      // the request URL with a SAS token, so only the type is kept
      throw new StorageException(
          Kind.IO, "download of " + where + " failed: " + e.getClass().getSimpleName(), e);
    }
  }
}
