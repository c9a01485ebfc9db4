package dev.kaskade.gateway.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a REST call needs permission for, from its method and (router-normalized) path: KServe V1,
 * Open Inference Protocol V2, an InferenceGraph's host, OpenAI-style routes. Server metadata
 * ({@code /v2}) and {@code /metrics} need a valid token only. Any other path is denied by default:
 * it needs a rule for every model of the namespace, so a spelling the router serves but this class
 * does not recognise (a trailing slash, doubled slashes, percent-encoding) can never skip a model's
 * rules.
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
    path = canonical(path);
    Matcher m;
    if (path.equals("/v2") || path.equals("/metrics")) {
      return Optional.empty();
    }
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
    return target(Verb.METADATA, namespace, "");
  }

  private static Optional<Target> target(Verb verb, String namespace, String model) {
    return Optional.of(new Target(verb, namespace, model == null ? null : decode(model)));
  }

  /** Doubled slashes collapsed, no trailing slash: spellings the router treats alike. */
  private static String canonical(String path) {
    String p = path.replaceAll("/{2,}", "/");
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** A path segment as the router's path parameter holds it (percent-decoded). */
  private static String decode(String segment) {
    try {
      return java.net.URLDecoder.decode(
          segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment;
    }
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
