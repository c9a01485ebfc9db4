package dev.kaskade.schemas.runtime;

import java.util.Locale;

/**
 * The runtime bridge's names and rules that the reconciler (which plans the bridge and its model
 * server's probe) and the model workers (which run it) must agree on. Pure.
 */
public final class RuntimeBridgeRules {
  /**
   * Predictor parameter from the annotation {@code kaskade.dev/upstream-url}: the revision is
   * served by the runtime bridge calling that model server.
   */
  public static final String UPSTREAM_URL = "upstream-url";

  private RuntimeBridgeRules() {}

  /** Whether a predictor's {@code protocolVersion} (v2, grpc-v2) means Open Inference Protocol. */
  public static boolean openInferenceProtocol(String protocolVersion) {
    return protocolVersion != null && protocolVersion.toLowerCase(Locale.ROOT).contains("v2");
  }

  /** A model server's HTTP readiness path: OIP's server health, else KServe V1's model status. */
  public static String readyPath(boolean openInferenceProtocol, String model) {
    return openInferenceProtocol ? "/v2/health/ready" : "/v1/models/" + model;
  }
}
