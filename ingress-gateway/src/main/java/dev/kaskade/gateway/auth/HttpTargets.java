package dev.kaskade.gateway.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a REST call needs permission for, from its method and path (KServe V1, Open Inference
 * Protocol V2, an InferenceGraph's host, OpenAI-style routes). Calls that name no model and are not
 * a list (server metadata, unknown paths) need a valid token only.
 */
public final class HttpTargets {
  private static final Set<String> HEALTH = Set.of("/", "/v2/health/live", "/v2/health/ready");
  private static final Pattern V1_CALL = Pattern.compile("/v1/models/([^/:]+):(predict|explain)");
  private static final Pattern V1_MODEL = Pattern.compile("/v1/models/([^/:]+)");
  private static final Pattern V2_MODEL =
      Pattern.compile("/v2/models/([^/]+)(/versions/[^/]+)?(/ready|/infer)?");
  private static final Pattern V2_REPOSITORY =
      Pattern.compile("/v2/repository/models/([^/]+)/(load|unload)");
  private static final Pattern OPENAI =
      Pattern.compile("/openai/.*|/v1/(chat/completions|completions|embeddings)(/.*)?");
  private static final Pattern OPENAI_MODELS = Pattern.compile("(/openai)?/v1/models(/([^/]+))?");

  private HttpTargets() {}

  /** Liveness and readiness paths, open to anyone (with GET). */
  public static boolean isHealth(String path) {
    return HEALTH.contains(path);
  }

  /** Paths answered in OpenAI's error shape. */
  public static boolean isOpenAi(String path) {
    return OPENAI.matcher(path).matches();
  }

  /**
   * @param hostModel the resource the request's host names, or null
   * @param body the body, read only for OpenAI calls (their model is in it)
   */
  public static Optional<Target> of(
      String method, String path, String namespace, String hostModel, Supplier<String> body) {
    Matcher m;
    if (path.equals("/v1/models") || path.equals("/v2/models")) {
      return target(Verb.METADATA, namespace, null);
    }
    if ((m = V1_CALL.matcher(path)).matches()) {
      Verb verb = m.group(2).equals("explain") ? Verb.EXPLAIN : Verb.INFER;
      return target(verb, namespace, m.group(1));
    }
    if ((m = V1_MODEL.matcher(path)).matches() || (m = V2_REPOSITORY.matcher(path)).matches()) {
      return target(Verb.METADATA, namespace, m.group(1));
    }
    if ((m = V2_MODEL.matcher(path)).matches()) {
      boolean infer = "/infer".equals(m.group(3)) && method.equals("POST");
      return target(infer ? Verb.INFER : Verb.METADATA, namespace, m.group(1));
    }
    if ((m = OPENAI_MODELS.matcher(path)).matches()) {
      return target(Verb.METADATA, namespace, m.group(3));
    }
    if (isOpenAi(path)) {
      return target(Verb.GENERATE, namespace, modelOf(body.get()));
    }
    if (path.equals("/") && method.equals("POST") && hostModel != null) {
      return target(Verb.INFER, namespace, hostModel);
    }
    return Optional.empty();
  }

  private static Optional<Target> target(Verb verb, String namespace, String model) {
    return Optional.of(new Target(verb, namespace, model));
  }

  /** The body's {@code model}; "" (allowed only by rules for any model) when it has none. */
  private static String modelOf(String body) {
    try {
      Object model = body == null || body.isBlank() ? null : new JsonObject(body).getValue("model");
      return model instanceof String s ? s : "";
    } catch (DecodeException | ClassCastException e) {
      return "";
    }
  }
}
