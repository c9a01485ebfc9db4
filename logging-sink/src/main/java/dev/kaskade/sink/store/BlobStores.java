package dev.kaskade.sink.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens the audit store named by a setting: {@code s3://bucket/prefix} or a filesystem path;
 * absent, {@code <data-dir>/audit}.
 *
 * <p>S3 settings: {@code audit.s3.endpoint} (endpoint override), {@code audit.s3.region}
 * (us-east-1), {@code audit.s3.path-style} (true when an endpoint is set), {@code
 * audit.s3.access-key} / {@code audit.s3.secret-key} (else the AWS default credentials chain).
 */
public final class BlobStores {
  public static final String STORE = "audit.store";
  public static final String S3_ENDPOINT = "audit.s3.endpoint";
  public static final String S3_REGION = "audit.s3.region";
  public static final String S3_PATH_STYLE = "audit.s3.path-style";
  public static final String S3_ACCESS_KEY = "audit.s3.access-key";
  public static final String S3_SECRET_KEY = "audit.s3.secret-key";

  private BlobStores() {}

  public static BlobStore open(String store, Path dataDir, Map<String, String> settings) {
    try {
      if (store == null || store.isBlank()) {
        return new FileSystemBlobStore(dataDir.resolve("audit"));
      }
      if (store.startsWith("s3://")) {
        URI uri = URI.create(store);
        String endpoint = settings.get(S3_ENDPOINT);
        S3BlobStore.Connection connection =
            new S3BlobStore.Connection(
                endpoint == null ? null : URI.create(endpoint),
                settings.getOrDefault(S3_REGION, "us-east-1"),
                Boolean.parseBoolean(
                    settings.getOrDefault(S3_PATH_STYLE, Boolean.toString(endpoint != null))),
                settings.get(S3_ACCESS_KEY),
                settings.get(S3_SECRET_KEY));
        return S3BlobStore.open(uri.getHost(), uri.getPath(), connection);
      }
      return new FileSystemBlobStore(Path.of(store.replaceFirst("^file://", "")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open audit store " + store, e);
    }
  }
}
