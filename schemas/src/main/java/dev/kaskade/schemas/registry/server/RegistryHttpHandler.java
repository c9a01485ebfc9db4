package dev.kaskade.schemas.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryException;
import dev.kaskade.schemas.registry.server.RegistryState.SchemaRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the served subset of the Confluent REST API onto {@link RegistryService} and renders
 * failures as Confluent's {@code {"error_code":..,"message":..}} bodies.
 */
final class RegistryHttpHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  private final RegistryService service;

  RegistryHttpHandler(RegistryService service) {
    this.service = service;
  }

  /** A request as routed: method, decoded path segments, query and body. */
  private record Call(String method, List<String> path, String query, JsonNode body) {
    String segment(int index) {
      return path.get(index);
    }

    boolean queryFlag(String name) {
      return query != null && Arrays.asList(query.split("&")).contains(name + "=true");
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      int status = 200;
      Object answer;
      try {
        answer = route(read(exchange));
      } catch (SchemaRegistryException e) {
        status = e.httpStatus();
        answer = error(e.errorCode(), messageOf(e));
      } catch (RuntimeException e) {
        LOG.error("schema registry request {} failed", exchange.getRequestURI(), e);
        status = 500;
        answer = error(SchemaRegistryException.STORE_ERROR, "Error in the backend data store");
      }
      byte[] body = JSON.writeValueAsBytes(answer);
      exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  private Object route(Call call) {
    List<String> p = call.path();
    String head = p.isEmpty() ? "" : p.getFirst();
    return switch (head) {
      case "" -> only(call, "GET", JSON.createObjectNode());
      case "subjects" -> subjects(call);
      case "schemas" -> schemas(call);
      case "compatibility" -> compatibility(call);
      case "config" -> config(call);
      default -> throw notFound();
    };
  }

  private Object subjects(Call call) {
    List<String> p = call.path();
    if (p.size() == 1) {
      return only(call, "GET", service.subjects());
    }
    String subject = call.segment(1);
    if (p.size() == 2) {
      return switch (call.method()) {
        case "POST" -> versionJson(service.lookup(subject, schemaText(call)));
        case "DELETE" -> service.deleteSubject(subject);
        default -> throw methodNotAllowed();
      };
    }
    if (!"versions".equals(call.segment(2)) || p.size() > 5) {
      throw notFound();
    }
    if (p.size() == 3) {
      return switch (call.method()) {
        case "GET" -> service.versions(subject);
        case "POST" -> idJson(service.register(subject, schemaText(call)));
        default -> throw methodNotAllowed();
      };
    }
    only(call, "GET", null);
    SchemaRecord record = service.version(subject, p.get(3));
    if (p.size() == 5) {
      if (!"schema".equals(p.get(4))) {
        throw notFound();
      }
      return rawSchema(record.schema());
    }
    return versionJson(record);
  }

  private Object schemas(Call call) {
    List<String> p = call.path();
    if (p.size() < 3 || p.size() > 4 || !"ids".equals(p.get(1))) {
      throw notFound();
    }
    only(call, "GET", null);
    int id;
    try {
      id = Integer.parseInt(p.get(2));
    } catch (NumberFormatException e) {
      throw new SchemaRegistryException(
          404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + p.get(2) + " not found");
    }
    String schema = service.schemaById(id);
    if (p.size() == 4) {
      if (!"schema".equals(p.get(3))) {
        throw notFound();
      }
      return rawSchema(schema);
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("schema", schema);
    return answer;
  }

  private Object compatibility(Call call) {
    List<String> p = call.path();
    if (p.size() != 5 || !"subjects".equals(p.get(1)) || !"versions".equals(p.get(3))) {
      throw notFound();
    }
    only(call, "POST", null);
    ObjectNode answer = JSON.createObjectNode();
    answer.put("is_compatible", service.isCompatible(p.get(2), p.get(4), schemaText(call)));
    return answer;
  }

  private Object config(Call call) {
    List<String> p = call.path();
    if (p.size() > 2) {
      throw notFound();
    }
    String subject = p.size() == 2 ? p.get(1) : null;
    return switch (call.method()) {
      case "GET" ->
          levelJson(
              "compatibilityLevel",
              subject == null
                  ? service.globalLevel()
                  : service.subjectLevel(subject, call.queryFlag("defaultToGlobal")));
      case "PUT" ->
          levelJson(
              "compatibility",
              service.setLevel(
                  subject,
                  call.body() == null ? null : call.body().path("compatibility").asText(null)));
      case "DELETE" -> {
        if (subject == null) {
          throw methodNotAllowed();
        }
        yield levelJson("compatibilityLevel", service.deleteLevel(subject));
      }
      default -> throw methodNotAllowed();
    };
  }

  private static Call read(HttpExchange exchange) throws IOException {
    String rawPath = exchange.getRequestURI().getRawPath();
    List<String> segments = new ArrayList<>();
    for (String part : rawPath.split("/")) {
      if (!part.isEmpty()) {
        segments.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    JsonNode body = null;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new SchemaRegistryException(413, 413, "request body larger than " + MAX_BODY_BYTES);
      }
      if (bytes.length > 0) {
        try {
          body = JSON.readTree(bytes);
        } catch (IOException e) {
          throw new SchemaRegistryException(
              400, 400, "request body is not JSON: " + e.getMessage());
        }
      }
    }
    return new Call(
        exchange.getRequestMethod(), segments, exchange.getRequestURI().getRawQuery(), body);
  }

  private static String schemaText(Call call) {
    JsonNode body = call.body();
    if (body == null || !body.isObject()) {
      throw new SchemaRegistryException(
          422, SchemaRegistryException.INVALID_SCHEMA, "Empty schema");
    }
    String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equalsIgnoreCase(type)) {
      throw new SchemaRegistryException(
          422,
          SchemaRegistryException.INVALID_SCHEMA,
          "Unsupported schemaType " + type + ", only AVRO");
    }
    if (body.path("references").size() > 0) {
      throw new SchemaRegistryException(
          422, SchemaRegistryException.INVALID_SCHEMA, "Schema references are not supported");
    }
    return body.path("schema").asText(null);
  }

  private static <T> T only(Call call, String method, T answer) {
    if (!method.equals(call.method())) {
      throw methodNotAllowed();
    }
    return answer;
  }

  private static ObjectNode versionJson(SchemaRecord record) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("subject", record.subject());
    answer.put("version", record.version());
    answer.put("id", record.id());
    answer.put("schema", record.schema());
    return answer;
  }

  private static ObjectNode idJson(int id) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("id", id);
    return answer;
  }

  private static ObjectNode levelJson(String field, CompatibilityLevel level) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put(field, level.name());
    return answer;
  }

  private static JsonNode rawSchema(String schema) {
    try {
      return JSON.readTree(schema);
    } catch (IOException e) {
      throw new IllegalStateException("stored schema is not JSON", e);
    }
  }

  private static ObjectNode error(int code, String message) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("error_code", code);
    answer.put("message", message);
    return answer;
  }

  private static String messageOf(SchemaRegistryException e) {
    String suffix = " (error_code " + e.errorCode() + ")";
    String message = e.getMessage();
    return message.endsWith(suffix)
        ? message.substring(0, message.length() - suffix.length())
        : message;
  }

  private static SchemaRegistryException notFound() {
    return new SchemaRegistryException(404, 404, "HTTP 404 Not Found");
  }

  private static SchemaRegistryException methodNotAllowed() {
    return new SchemaRegistryException(405, 405, "HTTP 405 Method Not Allowed");
  }
}
