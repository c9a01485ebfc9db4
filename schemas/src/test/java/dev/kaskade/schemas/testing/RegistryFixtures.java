package dev.kaskade.schemas.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.kafka.embedded.SharedKafka;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/**
 * Starts embedded registries on the shared test broker, each on its own store topic, and speaks raw
 * HTTP to them so tests can assert status codes and Confluent error bodies.
 */
public final class RegistryFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private RegistryFixtures() {}

  /** A fresh store topic name for one test. */
  public static String newStoreTopic() {
    return "_schemas-it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A registry on the shared broker storing in the given topic, on a free port. */
  public static SchemaRegistryServer startRegistry(String storeTopic) {
    return new SchemaRegistryServer(
            SchemaRegistryServer.Options.defaults(SharedKafka.get().bootstrapServers())
                .withTopic(storeTopic))
        .start();
  }

  /** A registry on the shared broker with its own fresh store topic. */
  public static SchemaRegistryServer startRegistry() {
    return startRegistry(newStoreTopic());
  }

  /** An HTTP answer: status and parsed JSON body. */
  public record Answer(int status, JsonNode body) {
    public int errorCode() {
      return body.path("error_code").asInt(-1);
    }
  }

  public static Answer get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  public static Answer delete(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
  }

  public static Answer post(String url, Object body) {
    return send(withBody(url, body).POST(HttpRequest.BodyPublishers.ofString(json(body))));
  }

  public static Answer put(String url, Object body) {
    return send(withBody(url, body).PUT(HttpRequest.BodyPublishers.ofString(json(body))));
  }

  /** The register/compatibility body for a schema given as JSON text. */
  public static Map<String, String> schemaBody(String schemaJson) {
    return Map.of("schema", schemaJson);
  }

  private static HttpRequest.Builder withBody(String url, Object body) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json");
  }

  private static String json(Object body) {
    try {
      return body instanceof String text ? text : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
