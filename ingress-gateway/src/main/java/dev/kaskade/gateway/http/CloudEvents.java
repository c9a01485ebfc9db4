package dev.kaskade.gateway.http;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * CloudEvents input for V1: binary mode ({@code ce-*} headers, body = data) and structured mode
 * (body = event with {@code data}); the reply uses the same mode, with KServe's type and source.
 */
public final class CloudEvents {
  public static final String STRUCTURED_TYPE = "application/cloudevents+json";
  public static final String RESPONSE_TYPE = "io.kserve.inference.response";

  private CloudEvents() {}

  /** Which mode a request used. */
  public enum Mode {
    NONE,
    BINARY,
    STRUCTURED
  }

  public static Mode modeOf(MultiMap headers) {
    String contentType = headers.get("content-type");
    if (contentType != null && contentType.toLowerCase().startsWith(STRUCTURED_TYPE)) {
      return Mode.STRUCTURED;
    }
    return headers.contains("ce-specversion") ? Mode.BINARY : Mode.NONE;
  }

  /** The data of a structured event as a JSON object body for the model. */
  public static JsonObject dataOf(JsonObject event) {
    Object data = event.getValue("data");
    if (data instanceof JsonObject o) {
      return o;
    }
    if (data instanceof String s) {
      return new JsonObject(s);
    }
    throw dev.kaskade.schemas.error.KaskadeException.invalid(
        "Unrecognized request format: the CloudEvent has no JSON object data");
  }

  public static String source(String model) {
    return "io.kserve.inference." + model;
  }

  /** Sets the binary-mode reply headers. */
  public static void binaryHeaders(MultiMap headers, String model) {
    headers.set("ce-specversion", "1.0");
    headers.set("ce-id", UUID.randomUUID().toString());
    headers.set("ce-source", source(model));
    headers.set("ce-type", RESPONSE_TYPE);
    headers.set("ce-time", Instant.now().toString());
  }

  /** A structured-mode reply event around the data. */
  public static JsonObject structured(String model, JsonObject data) {
    return new JsonObject()
        .put("specversion", "1.0")
        .put("id", UUID.randomUUID().toString())
        .put("source", source(model))
        .put("type", RESPONSE_TYPE)
        .put("time", Instant.now().toString())
        .put("datacontenttype", "application/json")
        .put("data", data);
  }
}
