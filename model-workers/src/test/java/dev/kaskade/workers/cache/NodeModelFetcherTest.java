package dev.kaskade.workers.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.schemas.runtime.ModelFetcher;
import dev.kaskade.workers.storage.StorageSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The node agent's download against an embedded S3Proxy and local files: the model lands in the
 * target folder, the private download cache is gone, a local source is copied, not moved.
 */
class NodeModelFetcherTest {
  private static final String ACCESS = "kaskade-access";
  private static final String SECRET = "kaskade-secret";
  private static S3Proxy proxy;
  private static Map<String, String> env;
  @TempDir Path dir;

  @BeforeAll
  static void startS3() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("transient", new Properties()))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
            .build();
    proxy.start();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "STARTED".equals(proxy.getState()));
    String endpoint = "http://127.0.0.1:" + proxy.getPort();
    env =
        Map.of(
            "AWS_ACCESS_KEY_ID",
            ACCESS,
            "AWS_SECRET_ACCESS_KEY",
            SECRET,
            "S3_ENDPOINT",
            endpoint.substring("http://".length()),
            "S3_USE_HTTPS",
            "0",
            "AWS_DEFAULT_REGION",
            "us-east-1");
    try (S3Client s3 =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
            .build()) {
      s3.createBucket(b -> b.bucket("models"));
      s3.putObject(
          b -> b.bucket("models").key("llama/1/model.onnx"), RequestBody.fromString("weights"));
      s3.putObject(b -> b.bucket("models").key("llama/config.json"), RequestBody.fromString("{}"));
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    proxy.stop();
  }

  private NodeModelFetcher fetcher() {
    return new NodeModelFetcher(
        cache ->
            StorageSettings.defaults(cache)
                .withEnv(env::get)
                .withRetries(1, Duration.ofMillis(10)));
  }

  @Test
  void anS3PrefixBecomesTheTargetFoldersContentAndTheDownloadCacheIsRemoved() throws Exception {
    Path target = Files.createDirectories(dir.resolve("models/llama"));
    fetcher().fetch("s3://models/llama", target);
    assertThat(target.resolve("1/model.onnx")).hasContent("weights");
    assertThat(target.resolve("config.json")).hasContent("{}");
    try (var left = Files.list(dir.resolve("models"))) {
      assertThat(left).containsExactly(target);
    }
  }

  @Test
  void aLocalFileIsCopiedIntoTheTargetAndKeptAtItsSource() throws Exception {
    Path source = Files.writeString(dir.resolve("iris.onnx"), "iris");
    Path target = Files.createDirectories(dir.resolve("models/iris"));
    fetcher().fetch(source.toUri().toString(), target);
    assertThat(target.resolve("iris.onnx")).hasContent("iris");
    assertThat(source).hasContent("iris");
  }

  @Test
  void aMissingObjectFailsWithTheStorageError() throws Exception {
    Path target = Files.createDirectories(dir.resolve("models/none"));
    assertThatThrownBy(() -> fetcher().fetch("s3://models/nothing-here", target))
        .hasMessageContaining("nothing-here");
  }

  @Test
  void isTheModelFetcherTheServiceLoaderFinds() {
    assertThat(ModelFetcher.load()).isInstanceOf(NodeModelFetcher.class);
  }
}
