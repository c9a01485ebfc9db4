package dev.kaskade.gateway.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a console API call ({@code /api/...}) needs permission for. Lists (models, traffic, the
 * monitor's model list) need {@code metadata} on the namespace, like {@code /v2/models}; one
 * model's monitor or graph view needs {@code metadata} on that model; anything under {@code
 * /api/audit} needs {@code audit} on the {@code model} parameter, or on every model of the
 * namespace when none is given (a record looked up by id alone, verification, replay reports).
 * Unknown {@code /api} paths need {@code metadata} on every model, as other unknown paths do.
 */
public final class ConsoleTargets {
  public static final String API = "/api/";
  public static final String UI = "/ui";
  private static final Pattern ONE_MODEL = Pattern.compile("/api/(monitor|graphs)/([^/]+)");
  private static final Pattern LIST = Pattern.compile("/api/(models|traffic|monitor)");

  private ConsoleTargets() {}

  public static boolean isApi(String path) {
    return path.startsWith(API);
  }

  /** The console's static pages and assets: open to anyone, they hold no data. */
  public static boolean isAsset(String method, String path) {
    return (method.equals("GET") || method.equals("HEAD"))
        && (path.equals(UI) || path.startsWith(UI + "/"));
  }

  /**
   * @param namespace the call's namespace ({@code namespace} parameter or the gateway's)
   * @param model the {@code model} parameter, or null
   */
  public static Target of(String path, String namespace, String model) {
    Matcher m;
    if (path.startsWith("/api/audit")) {
      return new Target(Verb.AUDIT, namespace, model == null || model.isBlank() ? "" : model);
    }
    if (LIST.matcher(path).matches()) {
      return new Target(Verb.METADATA, namespace, null);
    }
    if ((m = ONE_MODEL.matcher(path)).matches()) {
      return new Target(Verb.METADATA, namespace, m.group(2));
    }
    return new Target(Verb.METADATA, namespace, "");
  }
}
