package dev.kaskade.gateway.openai;

import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import io.vertx.core.json.JsonObject;

/**
 * A failure in OpenAI's shape: {@code {"error":{"message","type","param","code"}}} with the HTTP
 * status. Types follow OpenAI: {@code invalid_request_error} for 4xx, {@code rate_limit_error} for
 * 429, {@code server_error} for 5xx.
 */
public final class OpenAiError extends RuntimeException {
  private final int status;
  private final String type;
  private final String param;
  private final String code;

  public OpenAiError(int status, String type, String message, String param, String code) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** 400 for a field the caller got wrong. */
  public static OpenAiError invalid(String param, String message) {
    return new OpenAiError(400, "invalid_request_error", message, param, null);
  }

  /** 404 for a model the gateway does not serve. */
  public static OpenAiError modelNotFound(String model) {
    return new OpenAiError(
        404,
        "invalid_request_error",
        "The model `" + model + "` does not exist or you do not have access to it.",
        "model",
        "model_not_found");
  }

  /** Any failure as an OpenAI error: Kaskade's reasons keep their status. */
  public static OpenAiError of(Throwable failure) {
    if (failure instanceof OpenAiError e) {
      return e;
    }
    if (failure instanceof KaskadeException k) {
      return ofReason(k.reason(), k.getMessage());
    }
    return new OpenAiError(500, "server_error", "The server had an error.", null, null);
  }

  public static OpenAiError ofReason(Reason reason, String message) {
    int status = reason.httpStatus();
    String type =
        status == 429
            ? "rate_limit_error"
            : status >= 500 ? "server_error" : "invalid_request_error";
    return new OpenAiError(status, type, message, null, null);
  }

  public int status() {
    return status;
  }

  public JsonObject body() {
    JsonObject error =
        new JsonObject().put("message", getMessage()).put("type", type).put("param", param);
    error.put("code", code);
    return new JsonObject().put("error", error);
  }
}
