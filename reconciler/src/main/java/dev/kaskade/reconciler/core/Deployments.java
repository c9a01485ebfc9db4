package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.KServe;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/** KServe's deployment modes, normalized to Serverless, RawDeployment and ModelMesh. */
public final class Deployments {
  public static final String SERVERLESS = "Serverless";
  public static final String RAW = "RawDeployment";
  public static final String MODEL_MESH = "ModelMesh";

  private Deployments() {}

  /** The mode of a resource from its annotation; Serverless (scale on lag) when unset. */
  public static String mode(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(KServe.DEPLOYMENT_MODE_ANNOTATION);
    if (value == null) {
      return SERVERLESS;
    }
    return switch (value) {
      case "Standard", "RawDeployment" -> RAW;
      case "ModelMesh" -> MODEL_MESH;
      default -> SERVERLESS;
    };
  }
}
