package dev.kaskade.workers.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
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

/** s3:// downloads against an embedded S3Proxy (transient blob store). */
class S3StorageTest {
  private static final String ACCESS = "kaskade-access";
  private static final String SECRET = "kaskade-secret";
  private static S3Proxy proxy;
  private static String endpoint;
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
    endpoint = "http://127.0.0.1:" + proxy.getPort();
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
      put(s3, "iris/model.onnx", "iris");
      put(s3, "bundle/1/model.onnx", "one");
      put(s3, "bundle/config.pbtxt", "cfg");
      put(s3, "bundle2/other.onnx", "not me");
    }
  }

  private static void put(S3Client s3, String key, String body) {
    s3.putObject(b -> b.bucket("models").key(key), RequestBody.fromString(body));
  }

  @AfterAll
  static void stopS3() throws Exception {
    proxy.stop();
  }

  private StorageSettings settings(Map<String, String> env) {
    return StorageSettings.defaults(dir.resolve("cache"))
        .withEnv(env::get)
        .withRetries(2, Duration.ofMillis(10));
  }

  private static Map<String, String> goodEnv() {
    return Map.of(
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
  }

  @Test
  void shouldDownloadSingleObjectAsFileWhenUriNamesIt() throws Exception {
    Path file =
        StorageInitializer.resolve("s3://models/iris/model.onnx", settings(goodEnv()), Map.of());
    assertThat(file.getFileName().toString()).isEqualTo("model.onnx");
    assertThat(file).hasContent("iris");
  }

  @Test
  void shouldDownloadEveryObjectUnderPrefixAsDirectory() throws Exception {
    Path tree = StorageInitializer.resolve("s3://models/bundle", settings(goodEnv()), Map.of());
    assertThat(tree).isDirectory();
    assertThat(tree.resolve("1/model.onnx")).hasContent("one");
    assertThat(tree.resolve("config.pbtxt")).hasContent("cfg");
    assertThat(tree.resolve("other.onnx")).doesNotExist();
  }

  @Test
  void shouldTakeEndpointFromKserveAnnotationsBeforeEnvWhenTheOperatorAllowsIt() throws Exception {
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID", ACCESS,
            "AWS_SECRET_ACCESS_KEY", SECRET,
            "AWS_ENDPOINT_URL", "http://127.0.0.1:1"); // wrong on purpose
    Map<String, String> annotations =
        Map.of(
            "serving.kserve.io/s3-endpoint", endpoint.substring("http://".length()),
            "serving.kserve.io/s3-usehttps", "0",
            "serving.kserve.io/s3-region", "eu-west-1");
    StorageSettings allowing =
        settings(env)
            .withPolicy(
                StoragePolicy.DEFAULT.withS3Endpoints(
                    List.of(endpoint.substring("http://".length()))));
    Path file = StorageInitializer.resolve("s3://models/iris/model.onnx", allowing, annotations);
    assertThat(file).hasContent("iris");
  }

  @Test
  void sendsNoCredentialsToAnS3EndpointTheManifestChoseAndTheOperatorDidNotAllow()
      throws Exception {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    attacker.createContext(
        "/",
        exchange -> {
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    attacker.start();
    try {
      Map<String, String> annotations =
          Map.of(
              "serving.kserve.io/s3-endpoint",
              "127.0.0.1:" + attacker.getAddress().getPort(),
              "serving.kserve.io/s3-usehttps",
              "0");
      assertThatThrownBy(
              () ->
                  StorageInitializer.resolve(
                      "s3://models/iris/model.onnx", settings(goodEnv()), annotations))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN))
          .hasMessageContaining(StoragePolicy.S3_ALLOWED_ENDPOINTS);
      assertThat(authorizations).as("nothing reached the manifest's endpoint").isEmpty();

      Map<String, String> anonymous = new java.util.HashMap<>(annotations);
      anonymous.put("serving.kserve.io/s3-useanoncredential", "true");
      assertThatThrownBy(
          () ->
              StorageInitializer.resolve(
                  "s3://models/iris/model.onnx", settings(goodEnv()), anonymous));
      assertThat(authorizations).isNotEmpty().containsOnly("null");
    } finally {
      attacker.stop(0);
    }
  }

  @Test
  void refusesAPrefixWithMoreObjectsOrBytesThanTheLimits() {
    StorageSettings fewEntries =
        settings(goodEnv()).withPolicy(StoragePolicy.DEFAULT.withLimits(1 << 20, 1 << 20, 1));
    assertThatThrownBy(() -> StorageInitializer.resolve("s3://models/bundle", fewEntries, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
        .hasMessageContaining(StoragePolicy.MAX_ENTRIES);
    StorageSettings fewBytes =
        settings(goodEnv()).withPolicy(StoragePolicy.DEFAULT.withLimits(3, 1 << 20, 10));
    assertThatThrownBy(
            () -> StorageInitializer.resolve("s3://models/iris/model.onnx", fewBytes, Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
        .hasMessageContaining(StoragePolicy.MAX_DOWNLOAD_BYTES);
  }

  @Test
  void settingsNeverPrintTheSecretKeyOrSessionToken() {
    Map<String, String> env = new java.util.HashMap<>(goodEnv());
    env.put("AWS_SESSION_TOKEN", "session-t0ken");
    String printed = S3Settings.from(settings(env), Map.of()).toString();
    assertThat(printed).doesNotContain(SECRET).doesNotContain("session-t0ken").contains("****");
  }

  @Test
  void shouldFailWithNotFoundWhenNoObjectsOrBucket() {
    assertThatThrownBy(
            () -> StorageInitializer.resolve("s3://models/absent", settings(goodEnv()), Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("no objects under s3://models/absent");
    assertThatThrownBy(
            () ->
                StorageInitializer.resolve("s3://no-such-bucket/x", settings(goodEnv()), Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("NoSuchBucket");
  }

  @Test
  void shouldFailWithAccessDeniedWhenCredentialsWrong() {
    Map<String, String> env = new java.util.HashMap<>(goodEnv());
    env.put("AWS_SECRET_ACCESS_KEY", "wrong");
    assertThatThrownBy(
            () ->
                StorageInitializer.resolve("s3://models/iris/model.onnx", settings(env), Map.of()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED))
        .hasMessageContaining("S3 access denied");
  }

  @Test
  void cacheIdentityNamesTheEndpointAndAccessKeyButNeverTheSecret() {
    Map<String, String> otherAccount = new java.util.HashMap<>(goodEnv());
    otherAccount.put("AWS_ACCESS_KEY_ID", "AKIAOTHERACCOUNT");
    Map<String, String> otherEndpoint = new java.util.HashMap<>(goodEnv());
    otherEndpoint.put("S3_ENDPOINT", "http://127.0.0.2:9000");
    String mine = S3Settings.from(settings(goodEnv()), Map.of()).cacheIdentity();
    assertThat(mine).contains(ACCESS).doesNotContain(SECRET);
    assertThat(S3Settings.from(settings(otherAccount), Map.of()).cacheIdentity())
        .isNotEqualTo(mine);
    assertThat(S3Settings.from(settings(otherEndpoint), Map.of()).cacheIdentity())
        .isNotEqualTo(mine);
  }
}
