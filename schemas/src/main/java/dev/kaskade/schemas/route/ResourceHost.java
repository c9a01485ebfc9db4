package dev.kaskade.schemas.route;

/**
 * The host a resource is addressed at, KServe's {@code <name>.<namespace>.<domain>}: the control
 * plane reports it as {@code status.url} and the gateway serves it, so both read the one setting
 * and build the one form here. Pure.
 */
public final class ResourceHost {
  /** Setting: the domain of resource hosts (Helm sets it from {@code reconciler.domain}). */
  public static final String DOMAIN_SETTING = "control.domain";

  /** KServe's default domain. */
  public static final String DEFAULT_DOMAIN = "example.com";

  private ResourceHost() {}

  /** {@code http://<name>.<namespace>.<domain>}, the {@code status.url} of a resource. */
  public static String url(String name, String namespace, String domain) {
    return "http://" + name + "." + namespace + "." + domain;
  }
}
