package dev.kaskade.sink.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3-compatible bucket under a key prefix (AWS SDK v2). A PUT is durable once
 * acknowledged; S3 gives read-after-write consistency, so a listing sees every acknowledged object.
 */
public final class S3BlobStore implements BlobStore {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  /**
   * Connection settings.
   *
   * @param endpoint endpoint override (MinIO, S3Proxy, Ceph), or null for AWS
   * @param region region name
   * @param pathStyle path-style addressing (needed by most S3-compatible servers)
   * @param accessKey static access key, or null for the default credentials chain
   * @param secretKey static secret key
   */
  public record Connection(
      URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey) {
    @Override
    public String toString() {
      return "Connection[endpoint=" + endpoint + ", region=" + region + ", secretKey=***]";
    }
  }

  public S3BlobStore(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    String p = prefix == null ? "" : prefix.replaceAll("^/+", "");
    this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
  }

  public static S3BlobStore open(String bucket, String prefix, Connection connection) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.of(connection.region()))
            .forcePathStyle(connection.pathStyle());
    if (connection.endpoint() != null) {
      builder.endpointOverride(connection.endpoint());
    }
    builder.credentialsProvider(
        connection.accessKey() == null
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(
                AwsBasicCredentials.create(connection.accessKey(), connection.secretKey())));
    return new S3BlobStore(builder.build(), bucket, prefix);
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(prefix + key), RequestBody.fromBytes(data));
    } catch (SdkException e) {
      throw new IOException("S3 PUT " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    try {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)).asByteArray();
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(describe() + key);
    } catch (SdkException e) {
      throw new IOException("S3 GET " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(prefix + key).build());
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new IOException("S3 HEAD " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> list(String keyPrefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try {
      var pages =
          s3.listObjectsV2Paginator(
              ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + keyPrefix).build());
      for (S3Object object : pages.contents()) {
        keys.add(object.key().substring(prefix.length()));
      }
    } catch (SdkException e) {
      throw new IOException("S3 LIST " + keyPrefix + " failed: " + e.getMessage(), e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(prefix + key));
    } catch (SdkException e) {
      throw new IOException("S3 DELETE " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public void close() {
    s3.close();
  }
}
