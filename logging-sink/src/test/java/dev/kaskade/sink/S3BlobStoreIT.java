package dev.kaskade.sink;

import static dev.kaskade.sink.TestRecords.T0;
import static dev.kaskade.sink.TestRecords.audit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.sink.chain.AuditVerifier;
import dev.kaskade.sink.chain.SinkWriter;
import dev.kaskade.sink.query.AuditQuery;
import dev.kaskade.sink.store.BlobStore;
import dev.kaskade.sink.store.BlobStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class S3BlobStoreIT {
  static {
    AvroTrust.install();
  }

  private static S3Proxy proxy;
  private static Map<String, String> settings;
  @TempDir Path dir;

  @BeforeAll
  static void startS3Proxy() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(org.gaul.s3proxy.BlobStores.create("transient", new Properties()))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret")
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    String endpoint = "http://127.0.0.1:" + proxy.getPort();
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
            .build()) {
      s3.createBucket(b -> b.bucket("audit"));
    }
    settings =
        Map.of(
            BlobStores.S3_ENDPOINT, endpoint,
            BlobStores.S3_ACCESS_KEY, "access",
            BlobStores.S3_SECRET_KEY, "secret");
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    proxy.stop();
  }

  @Test
  void shouldRoundTripObjectsUnderPrefix() throws Exception {
    try (BlobStore store = BlobStores.open("s3://audit/rt", dir, settings)) {
      store.put("a/b/c.json", "hello".getBytes(StandardCharsets.UTF_8));
      assertThat(new String(store.get("a/b/c.json"), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(store.exists("a/b/c.json")).isTrue();
      assertThat(store.list("a/")).containsExactly("a/b/c.json");
      store.delete("a/b/c.json");
      assertThat(store.exists("a/b/c.json")).isFalse();
      assertThatThrownBy(() -> store.get("a/b/c.json")).isInstanceOf(NoSuchFileException.class);
    }
  }

  @Test
  void shouldWriteVerifyAndQueryAuditFilesInS3() throws Exception {
    try (BlobStore store = BlobStores.open("s3://audit/tenant-x", dir, settings)) {
      SinkWriter writer = new SinkWriter(store, "kaskade.audit.payloads");
      for (int i = 0; i < 12; i++) {
        writer.append(i % 2, i, T0, audit("default", "iris", i, T0 + i));
      }
      writer.flush(Map.of(0, 12L, 1, 12L));

      assertThat(AuditVerifier.verify(store, null, null).ok()).isTrue();
      assertThat(
              AuditQuery.find(
                  store, new AuditQuery.Criteria("iris", "default", null, null, "iris-req-5", 0)))
          .singleElement()
          .satisfies(r -> assertThat(r.offset()).isEqualTo(5));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        AuditCommands.verify(
            new AuditCommands.StoreOptions(dir, "s3://audit/tenant-x", settings),
            null,
            null,
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
  }
}
