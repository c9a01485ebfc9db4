package dev.kaskade.workers.storage;

import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.AttributeMap;

/** s3://bucket/prefix downloads with the AWS SDK v2 (URL-connection HTTP client). */
final class S3Fetcher {
  private S3Fetcher() {}

  /**
   * Downloads every object under the prefix into {@code content}, keeping paths relative to the
   * prefix. Returns the file when the URI names exactly one object, else {@code content}.
   */
  static Path fetch(
      String uri, Path content, StorageSettings settings, Map<String, String> annotations)
      throws StorageException {
    String rest = uri.replaceAll("#.*$", "").substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new StorageException(Kind.INVALID_URI, "s3:// URI has no bucket: " + uri);
    }
    S3Settings s3 = S3Settings.from(settings, annotations);
    guard(s3, settings.policy());
    try (S3Client client = client(s3, settings)) {
      List<S3Object> objects =
          StorageInitializer.withRetries(
              settings, "list " + uri, () -> call(uri, () -> list(client, bucket, prefix)));
      if (objects.isEmpty()) {
        throw new StorageException(Kind.NOT_FOUND, "no objects under " + uri);
      }
      Limits.Budget budget = withinLimits(uri, objects, settings.policy());
      Path single = null;
      for (S3Object object : objects) {
        String key = object.key();
        String relative = key.substring(prefix.length());
        while (relative.startsWith("/")) {
          relative = relative.substring(1);
        }
        boolean exact = relative.isEmpty();
        if (exact) {
          relative = key.substring(key.lastIndexOf('/') + 1);
        }
        Path out = content.resolve(relative).normalize();
        if (!out.startsWith(content)) {
          throw new StorageException(Kind.INVALID_URI, "object key " + key + " escapes the target");
        }
        StorageInitializer.withRetries(
            settings,
            "get " + key,
            () ->
                call(
                    uri,
                    () -> {
                      Files.createDirectories(out.getParent());
                      Files.deleteIfExists(out);
                      // counted as it streams: the listed sizes come from the endpoint too
                      try (InputStream in =
                          client.getObject(
                              GetObjectRequest.builder().bucket(bucket).key(key).build())) {
                        Files.copy(budget.wrap(in), out);
                      }
                      return out;
                    }));
        if (exact && objects.size() == 1) {
          single = out;
        }
      }
      return single != null ? single : content;
    }
  }

  /**
   * The endpoint must pass the host lists, and the worker's credentials go only to an endpoint the
   * operator chose or approved ({@link S3Settings#approvedEndpoint()}).
   */
  private static void guard(S3Settings s3, StoragePolicy policy) throws StorageException {
    if (s3.endpoint() == null) {
      return;
    }
    HostGuard.check(s3.endpoint(), policy);
    if (!s3.approvedEndpoint() && s3.sendsCredentials()) {
      throw new StorageException(
          Kind.FORBIDDEN,
          "S3 endpoint "
              + S3Settings.hostPort(s3.endpoint())
              + " comes from the manifest (serving.kserve.io/s3-endpoint) and is not in "
              + StoragePolicy.S3_ALLOWED_ENDPOINTS
              + ": the worker's S3 credentials are not sent to it (for a public bucket set"
              + " serving.kserve.io/s3-useanoncredential: \"true\")");
    }
  }

  /** Refuses, before any download, a prefix with too many objects or too many bytes listed. */
  private static Limits.Budget withinLimits(
      String uri, List<S3Object> objects, StoragePolicy policy) throws StorageException {
    Limits.Budget budget =
        new Limits.Budget(
            "download size", policy.maxDownloadBytes(), StoragePolicy.MAX_DOWNLOAD_BYTES);
    try {
      if (objects.size() > policy.maxEntries()) {
        throw new Limits.Exceeded(
            "object count (" + objects.size() + ")",
            policy.maxEntries(),
            StoragePolicy.MAX_ENTRIES);
      }
      budget.expect(objects.stream().mapToLong(o -> o.size() == null ? 0 : o.size()).sum());
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, uri);
    }
    return budget;
  }

  private static List<S3Object> list(S3Client client, String bucket, String prefix) {
    List<S3Object> objects = new ArrayList<>();
    for (S3Object object :
        client
            .listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
            .contents()) {
      if (object.key().endsWith("/")) {
        continue; // "directory" marker
      }
      String relative = object.key().substring(prefix.length());
      // s3://b/models/iris must not pick up models/iris2/…: keep the exact key or keys below a "/"
      if (relative.isEmpty()
          || prefix.isEmpty()
          || prefix.endsWith("/")
          || relative.startsWith("/")) {
        objects.add(object);
      }
    }
    return objects;
  }

  @FunctionalInterface
  private interface S3Call<T> {
    T run() throws IOException;
  }

  private static <T> T call(String uri, S3Call<T> call) throws StorageException {
    try {
      return call.run();
    } catch (S3Exception e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      String detail = uri + ": " + code + " (HTTP " + e.statusCode() + ")";
      if (e.statusCode() == 404 || "NoSuchBucket".equals(code) || "NoSuchKey".equals(code)) {
        throw new StorageException(Kind.NOT_FOUND, "S3 object not found at " + detail, e);
      }
      if (e.statusCode() == 403 || e.statusCode() == 401) {
        throw new StorageException(Kind.ACCESS_DENIED, "S3 access denied for " + detail, e);
      }
      if (e.statusCode() >= 500 || e.statusCode() == 429) {
        throw new StorageException(Kind.IO, "S3 server error for " + detail, e);
      }
      throw new StorageException(Kind.NOT_FOUND, "S3 request failed for " + detail, e);
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, uri);
    } catch (SdkClientException e) {
      throw new StorageException(Kind.IO, "S3 client error for " + uri + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StorageException(Kind.IO, "S3 download of " + uri + " failed: " + e, e);
    }
  }

  private static S3Client client(S3Settings s3, StorageSettings settings) {
    UrlConnectionHttpClient.Builder http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(settings.connectTimeout())
            .socketTimeout(settings.readTimeout());
    AttributeMap httpDefaults =
        s3.verifySsl()
            ? AttributeMap.empty()
            : AttributeMap.builder()
                .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE)
                .build();
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClient(http.buildWithDefaults(httpDefaults))
            .region(Region.of(s3.region()))
            .credentialsProvider(credentials(s3))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .forcePathStyle(s3.pathStyle());
    if (s3.endpoint() != null) {
      builder.endpointOverride(s3.endpoint());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(S3Settings s3) {
    if (s3.anonymous()) {
      return AnonymousCredentialsProvider.create();
    }
    if (s3.accessKeyId() != null && s3.secretAccessKey() != null) {
      return StaticCredentialsProvider.create(
          s3.sessionToken() == null
              ? AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())
              : AwsSessionCredentials.create(
                  s3.accessKeyId(), s3.secretAccessKey(), s3.sessionToken()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
