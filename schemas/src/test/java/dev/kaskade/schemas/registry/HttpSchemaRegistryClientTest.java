package dev.kaskade.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted HTTP endpoint (the real registry is covered by the ITs). */
class HttpSchemaRegistryClientTest {
  private static final Schema STRING = Schema.create(Schema.Type.STRING);
  private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
  private final Queue<String> contentTypes = new ConcurrentLinkedQueue<>();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Serves the scripted answers (status, body) in order, repeating the last one. */
  private String serve(List<Map.Entry<Integer, String>> answers, AtomicInteger calls)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          int call = calls.getAndIncrement();
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
          exchange.getRequestBody().readAllBytes();
          var answer = answers.get(Math.min(call, answers.size() - 1));
          byte[] body = answer.getValue().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer.getKey(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return "http://localhost:" + server.getAddress().getPort();
  }

  @Test
  void retriesServerErrorsAndCachesTheRegisteredId() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url =
        serve(
            List.of(
                Map.entry(500, "{\"error_code\":50001,\"message\":\"store\"}"),
                Map.entry(200, "{\"id\":42}")),
            calls);
    try (var client = new HttpSchemaRegistryClient(url)) {
      assertThat(client.register("t-value", STRING)).isEqualTo(42);
      assertThat(client.register("t-value", STRING)).isEqualTo(42);
      assertThat(client.getById(42)).isEqualTo(STRING);
    }
    assertThat(calls).hasValue(2);
    assertThat(contentTypes).contains(HttpSchemaRegistryClient.CONTENT_TYPE);
  }

  @Test
  void parsesConfluentErrorBodiesWithoutRetryingClientErrors() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url =
        serve(
            List.of(Map.entry(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}")),
            calls);
    try (var client = new HttpSchemaRegistryClient(url)) {
      assertThatThrownBy(() -> client.getById(7))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> {
                assertThat(e.errorCode()).isEqualTo(40403);
                assertThat(e.httpStatus()).isEqualTo(404);
                assertThat(e.isSchemaNotFound()).isTrue();
              });
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void failsOverToTheNextUrlWhenOneRefusesConnections() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url = serve(List.of(Map.entry(200, "[\"a-value\",\"b-value\"]")), calls);
    var config =
        new SchemaRegistryClientConfig(
            List.of(URI.create("http://localhost:1"), URI.create(url)),
            null,
            null,
            Duration.ofSeconds(2),
            3);
    try (var client = new HttpSchemaRegistryClient(config)) {
      assertThat(client.subjects()).containsExactly("a-value", "b-value");
    }
  }

  @Test
  void givesUpAfterTheConfiguredAttemptsWithAnUnreachableError() {
    var config = SchemaRegistryClientConfig.of("http://localhost:1").withMaxAttempts(2);
    try (var client = new HttpSchemaRegistryClient(config)) {
      assertThatThrownBy(client::subjects)
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.UNREACHABLE))
          .hasMessageContaining("after 2 attempts");
    }
  }

  @Test
  void sendsBasicAuthAndMasksThePasswordInToString() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url = serve(List.of(Map.entry(200, "{\"compatibilityLevel\":\"FULL\"}")), calls);
    var config =
        SchemaRegistryClientConfig.fromSettings(
            Map.of(
                SchemaRegistryClientConfig.URL_KEY,
                url,
                SchemaRegistryClientConfig.USER_INFO_KEY,
                "alice:s3cret"));
    try (var client = new HttpSchemaRegistryClient(config)) {
      assertThat(client.compatibility("t-value")).isEqualTo("FULL");
    }
    assertThat(authorizations).containsOnly("Basic YWxpY2U6czNjcmV0");
    assertThat(config.toString()).contains("alice").doesNotContain("s3cret").contains("****");
  }

  @Test
  void treatsAMissingSubjectAsCompatible() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url =
        serve(
            List.of(Map.entry(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}")),
            calls);
    try (var client = new HttpSchemaRegistryClient(url)) {
      assertThat(client.isCompatible("new-value", STRING)).isTrue();
    }
  }
}
