package dev.kaskade.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} over the documented Confluent Schema Registry REST API, so it
 * works against Confluent, Apicurio's {@code /apis/ccompat/v7} API, Karapace and Kaskade's embedded
 * registry. It is the one caching place: schemas by id and ids by subject+schema never change once
 * assigned, so both are cached for the life of the client; versions, configs and compatibility
 * answers are not. Connection errors and 5xx answers are retried with exponential backoff, failing
 * over to the next URL.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
  private static final long BASE_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryClientConfig config;
  private final HttpClient http;
  private final String authorization;
  private final AtomicInteger preferredUrl = new AtomicInteger();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  public HttpSchemaRegistryClient(SchemaRegistryClientConfig config) {
    this.config = config;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(config.timeout())
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (config.sslContext() != null) {
      builder.sslContext(config.sslContext());
    }
    this.http = builder.build();
    this.authorization =
        config.basicAuth() == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (config.basicAuth().user() + ":" + config.basicAuth().password())
                            .getBytes(StandardCharsets.UTF_8));
  }

  /** A client for one or more comma-separated URLs with default timeouts and retries. */
  public HttpSchemaRegistryClient(String urls) {
    this(SchemaRegistryClientConfig.of(urls));
  }

  public SchemaRegistryClientConfig config() {
    return config;
  }

  @Override
  public int register(String subject, Schema schema) {
    String key = subject + '\u0000' + schema;
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer =
        call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    int id = answer.path("id").asInt();
    idsBySubjectSchema.put(key, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("GET", "/schemas/ids/" + id, null);
    Schema schema = parse(answer.path("schema").asText());
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  @Override
  public List<Integer> versions(String subject) {
    JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions", null);
    List<Integer> versions = new ArrayList<>();
    answer.forEach(v -> versions.add(v.asInt()));
    return versions.stream().sorted().toList();
  }

  @Override
  public RegisteredSchema latest(String subject) {
    return fetchVersion(subject, "latest");
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    return fetchVersion(subject, Integer.toString(version));
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    try {
      JsonNode answer =
          call(
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/latest",
              schemaBody(schema));
      return answer.path("is_compatible").asBoolean(false);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
          || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
        return true; // nothing registered yet, so nothing to be incompatible with
      }
      throw e;
    }
  }

  @Override
  public String compatibility(String subject) {
    try {
      return call("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null)
          .path("compatibilityLevel")
          .asText();
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() == 404) {
        return globalCompatibility(); // registries that ignore defaultToGlobal answer 40408/40401
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(String subject, String level) {
    call("PUT", "/config/" + encode(subject), compatibilityBody(level));
  }

  /** The registry-wide compatibility level ({@code GET /config}). */
  public String globalCompatibility() {
    return call("GET", "/config", null).path("compatibilityLevel").asText();
  }

  /** Sets the registry-wide compatibility level ({@code PUT /config}). */
  public void setGlobalCompatibility(String level) {
    call("PUT", "/config", compatibilityBody(level));
  }

  /** Soft-deletes a subject ({@code DELETE /subjects/{s}}); returns the deleted versions. */
  public List<Integer> deleteSubject(String subject) {
    JsonNode answer = call("DELETE", "/subjects/" + encode(subject), null);
    List<Integer> versions = new ArrayList<>();
    answer.forEach(v -> versions.add(v.asInt()));
    idsBySubjectSchema.keySet().removeIf(k -> k.startsWith(subject + '\u0000'));
    return versions;
  }

  @Override
  public List<String> subjects() {
    JsonNode answer = call("GET", "/subjects", null);
    List<String> subjects = new ArrayList<>();
    answer.forEach(s -> subjects.add(s.asText()));
    return subjects;
  }

  @Override
  public void close() {
    http.shutdownNow();
  }

  @Override
  public String toString() {
    return "HttpSchemaRegistryClient[" + config + "]";
  }

  private RegisteredSchema fetchVersion(String subject, String version) {
    JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
    int id = answer.path("id").asInt();
    Schema schema = schemasById.computeIfAbsent(id, i -> parse(answer.path("schema").asText()));
    return new RegisteredSchema(
        answer.path("subject").asText(subject), answer.path("version").asInt(), id, schema);
  }

  private JsonNode call(String method, String pathAndQuery, JsonNode body) {
    int urls = config.urls().size();
    int first = Math.floorMod(preferredUrl.get(), urls);
    Exception lastFailure = null;
    for (int attempt = 0; attempt < config.maxAttempts(); attempt++) {
      if (attempt > 0) {
        backoff(attempt);
      }
      int index = (first + attempt) % urls;
      URI base = config.urls().get(index);
      try {
        HttpResponse<String> response =
            http.send(
                request(base, method, pathAndQuery, body),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() >= 500) {
          lastFailure = errorOf(response);
          LOG.debug("{} {}{} answered {}, retrying", method, base, pathAndQuery, lastFailure);
          continue;
        }
        preferredUrl.set(index);
        if (response.statusCode() >= 400) {
          throw errorOf(response);
        }
        return readJson(response.body());
      } catch (IOException e) {
        lastFailure = e;
        LOG.debug("{} {}{} failed: {}, retrying", method, base, pathAndQuery, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            0, SchemaRegistryException.UNREACHABLE, "interrupted calling the schema registry");
      }
    }
    if (lastFailure instanceof SchemaRegistryException registryError) {
      throw registryError;
    }
    throw new SchemaRegistryException(
        0,
        SchemaRegistryException.UNREACHABLE,
        "no schema registry answered "
            + method
            + " "
            + pathAndQuery
            + " at "
            + config.urls()
            + " after "
            + config.maxAttempts()
            + " attempts: "
            + lastFailure);
  }

  private HttpRequest request(URI base, String method, String pathAndQuery, JsonNode body)
      throws IOException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(config.timeout())
            .header("Accept", ACCEPT);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder.header("Content-Type", CONTENT_TYPE);
      builder.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    }
    return builder.build();
  }

  private static SchemaRegistryException errorOf(HttpResponse<String> response) {
    int status = response.statusCode();
    int code = status;
    String message = response.body();
    try {
      JsonNode error = JSON.readTree(response.body());
      if (error != null && error.has("error_code")) {
        code = error.path("error_code").asInt(status);
        message = error.path("message").asText(message);
      }
    } catch (IOException notJson) {
      // keep the raw body as the message
    }
    if (message == null || message.isBlank()) {
      message = "HTTP " + status + " from " + response.uri();
    }
    return new SchemaRegistryException(status, code, message);
  }

  private static void backoff(int attempt) {
    long delay = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(attempt - 1, 10));
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          0, SchemaRegistryException.UNREACHABLE, "interrupted waiting to retry");
    }
  }

  private static JsonNode readJson(String body) {
    try {
      return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
    } catch (IOException e) {
      throw new SchemaRegistryException(
          200, SchemaRegistryException.UNREACHABLE, "registry answered invalid JSON: " + body);
    }
  }

  private static Schema parse(String schema) {
    try {
      return new Schema.Parser().parse(schema);
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          200, SchemaRegistryException.INVALID_SCHEMA, "registry returned an invalid schema: " + e);
    }
  }

  private static ObjectNode schemaBody(Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    return body;
  }

  private static ObjectNode compatibilityBody(String level) {
    ObjectNode body = JSON.createObjectNode();
    body.put("compatibility", level);
    return body;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
