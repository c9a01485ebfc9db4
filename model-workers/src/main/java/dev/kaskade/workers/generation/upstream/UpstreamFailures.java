package dev.kaskade.workers.generation.upstream;

import dev.kaskade.workers.generation.GenerationException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI-compatible server's failures as OpenAI errors, like KServe's {@code OpenAIProxyModel}:
 * an OpenAI error body keeps its status and message; an unparsable answer is 502, a timeout 504, a
 * server that cannot be reached 503. Pure.
 */
final class UpstreamFailures {
  static final String SERVER_ERROR = "server_error";

  private UpstreamFailures() {}

  /** A non-2xx answer: its OpenAI (or vLLM) error, else 502 with what it said. */
  static GenerationException ofStatus(String upstream, int status, String body) {
    JsonObject error = error(body);
    if (error == null) {
      return new GenerationException(
          502, SERVER_ERROR, upstream + " answered " + status + ": " + abbreviate(body));
    }
    return new GenerationException(
        status, error.getString("type", typeOf(status)), message(error, upstream, status));
  }

  /**
   * An error event inside a stream; its {@code code}, when it is an HTTP status, is the status,
   * else 502 (the upstream failed after it had answered 200).
   */
  static GenerationException ofStreamError(String upstream, JsonObject event) {
    JsonObject error = event.getValue("error") instanceof JsonObject e ? e : event;
    int status = statusOf(error.getValue("code"));
    return new GenerationException(
        status, error.getString("type", typeOf(status)), message(error, upstream, status));
  }

  /** Data that is not JSON where a chunk was expected. */
  static GenerationException unparsable(String upstream, String data) {
    return new GenerationException(
        502, SERVER_ERROR, upstream + " sent an event that is not JSON: " + abbreviate(data));
  }

  /** The stream ended (or the connection dropped) before the last chunk. */
  static GenerationException cutShort(String upstream, String why) {
    return new GenerationException(
        502, SERVER_ERROR, upstream + " ended the stream before it finished: " + why);
  }

  static GenerationException timeout(String upstream, long ms) {
    return new GenerationException(
        504, SERVER_ERROR, upstream + " did not finish within " + ms + " ms");
  }

  static GenerationException unreachable(String upstream, String why) {
    return new GenerationException(503, SERVER_ERROR, upstream + " cannot be reached: " + why);
  }

  /** {@code {"error":{…}}} (OpenAI) or {@code {"object":"error","message":…}} (vLLM). */
  static JsonObject error(String body) {
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
    if (json.getValue("error") instanceof JsonObject e) {
      return e;
    }
    if (json.getValue("error") instanceof String s) {
      return new JsonObject().put("message", s); // TGI: {"error": "...", "error_type": "..."}
    }
    return "error".equals(json.getString("object")) ? json : null;
  }

  private static String message(JsonObject error, String upstream, int status) {
    Object message = error.getValue("message");
    return message instanceof String s && !s.isBlank()
        ? s
        : upstream + " answered " + status + " without a message";
  }

  private static int statusOf(Object code) {
    int status = 502;
    if (code instanceof Number n) {
      status = n.intValue();
    } else if (code instanceof String s && s.matches("\\d{3}")) {
      status = Integer.parseInt(s);
    }
    return status >= 400 && status <= 599 ? status : 502;
  }

  private static String typeOf(int status) {
    return status >= 400 && status < 500 ? "invalid_request_error" : SERVER_ERROR;
  }

  private static String abbreviate(String text) {
    String t = text == null ? "" : text.strip();
    return t.length() <= 200 ? t : t.substring(0, 200) + "…";
  }
}
