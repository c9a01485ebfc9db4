package dev.kaskade.gateway.openai;

import dev.kaskade.events.GenerationApi;
import dev.kaskade.events.GenerationMessage;
import dev.kaskade.events.GenerationRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses and validates OpenAI completion and chat completion bodies into a {@link
 * GenerationRequest}; every mistake is a 400 {@link OpenAiError} naming the field. Unknown fields
 * are kept in the body (an upstream server may use them). Pure.
 */
public final class OpenAiRequests {
  static {
    // Builders deep-copy nested Avro records, which Avro allows only for trusted packages.
    dev.kaskade.schemas.serde.AvroTrust.install();
  }

  /** The most choices one request may ask for. */
  public static final int MAX_N = 16;

  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool");

  private OpenAiRequests() {}

  /** The JSON object of a request body. */
  public static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) {
      throw OpenAiError.invalid(null, "The request body must be a JSON object.");
    }
    try {
      return body.toJsonObject();
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      // fall through
    }
    throw OpenAiError.invalid(
        null, "We could not parse the JSON body of your request: expected a JSON object.");
  }

  public static String model(JsonObject body) {
    Object model = body.getValue("model");
    if (!(model instanceof String s) || s.isBlank()) {
      throw OpenAiError.invalid("model", "you must provide a model parameter");
    }
    return s;
  }

  public static GenerationRequest parse(JsonObject body, GenerationApi api) {
    model(body);
    GenerationRequest.Builder out =
        GenerationRequest.newBuilder().setApi(api).setBody(body.encode());
    if (api == GenerationApi.CHAT) {
      out.setMessages(messages(body.getValue("messages")));
    } else {
      out.setPrompt(prompt(body.getValue("prompt")));
    }
    Integer max = integer(body, "max_completion_tokens", 1, Integer.MAX_VALUE);
    out.setMaxTokens(max != null ? max : integer(body, "max_tokens", 1, Integer.MAX_VALUE));
    out.setTemperature(number(body, "temperature", 0, 2));
    out.setTopP(number(body, "top_p", 0, 1));
    Integer n = integer(body, "n", 1, MAX_N);
    out.setN(n == null ? 1 : n);
    Object seed = body.getValue("seed");
    if (seed != null && !(seed instanceof Integer || seed instanceof Long)) {
      throw OpenAiError.invalid("seed", "seed must be an integer");
    }
    out.setSeed(seed == null ? null : ((Number) seed).longValue());
    out.setStop(stop(body.getValue("stop")));
    boolean stream = bool(body, "stream");
    out.setStream(stream);
    out.setIncludeUsage(includeUsage(body, stream));
    Object user = body.getValue("user");
    if (user != null && !(user instanceof String)) {
      throw OpenAiError.invalid("user", "user must be a string");
    }
    out.setUser((String) user);
    return out.build();
  }

  /** True when decoding repeats exactly (greedy, or seeded), so a retry can resume a stream. */
  public static boolean deterministic(GenerationRequest request) {
    return request.getSeed() != null
        || request.getTemperature() != null && request.getTemperature() == 0;
  }

  private static List<GenerationMessage> messages(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw OpenAiError.invalid("messages", "messages must be a non-empty array");
    }
    List<GenerationMessage> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String param = "messages[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject m)) {
        throw OpenAiError.invalid(param, param + " must be an object");
      }
      if (!(m.getValue("role") instanceof String role) || !ROLES.contains(role)) {
        throw OpenAiError.invalid(
            param + ".role", param + ".role must be one of " + ROLES.stream().sorted().toList());
      }
      out.add(new GenerationMessage(role, content(m.getValue("content"), param + ".content")));
    }
    return out;
  }

  /** A string, or an array of text parts joined (images and audio are refused). */
  private static String content(Object value, String param) {
    if (value == null) {
      return "";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof JsonArray parts) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        if (!(parts.getValue(i) instanceof JsonObject part)
            || !"text".equals(part.getValue("type"))
            || !(part.getValue("text") instanceof String t)) {
          throw OpenAiError.invalid(
              param + "[" + i + "]", "only content parts of type text are supported");
        }
        text.append(t);
      }
      return text.toString();
    }
    throw OpenAiError.invalid(param, param + " must be a string or an array of text parts");
  }

  private static String prompt(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof JsonArray array
        && array.size() == 1
        && array.getValue(0) instanceof String s) {
      return s;
    }
    if (value instanceof JsonArray array && array.size() > 1) {
      throw OpenAiError.invalid("prompt", "only one prompt per request is supported");
    }
    throw OpenAiError.invalid("prompt", "prompt must be a string or an array of one string");
  }

  private static List<String> stop(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof JsonArray array && array.size() <= 4) {
      List<String> out = new ArrayList<>();
      for (Object o : array) {
        if (!(o instanceof String s)) {
          throw OpenAiError.invalid("stop", "stop must be a string or an array of strings");
        }
        out.add(s);
      }
      return out;
    }
    throw OpenAiError.invalid("stop", "stop must be a string or an array of at most 4 strings");
  }

  private static boolean includeUsage(JsonObject body, boolean stream) {
    Object options = body.getValue("stream_options");
    if (options == null) {
      return false;
    }
    if (!(options instanceof JsonObject o)) {
      throw OpenAiError.invalid("stream_options", "stream_options must be an object");
    }
    if (!stream) {
      throw OpenAiError.invalid(
          "stream_options",
          "The 'stream_options' parameter is only allowed when 'stream' is true.");
    }
    return bool(o, "include_usage");
  }

  static boolean bool(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw OpenAiError.invalid(field, field + " must be a boolean");
    }
    return b;
  }

  static Integer integer(JsonObject body, String field, long min, long max) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw OpenAiError.invalid(field, field + " must be an integer");
    }
    long v = ((Number) value).longValue();
    if (v < min || v > max) {
      throw OpenAiError.invalid(
          field, field + " must be between " + min + " and " + max + ", got " + v);
    }
    return (int) v;
  }

  static Double number(JsonObject body, String field, double min, double max) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      throw OpenAiError.invalid(field, field + " must be a number");
    }
    double v = n.doubleValue();
    if (!(v >= min && v <= max)) {
      throw OpenAiError.invalid(
          field, field + " must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }
}
