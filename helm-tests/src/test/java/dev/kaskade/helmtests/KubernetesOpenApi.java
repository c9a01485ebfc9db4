package dev.kaskade.helmtests;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubernetes.client.openapi.JSON;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

/**
 * Validation of an object against the Kubernetes OpenAPI document of a current release (1.35): the
 * official Java client's models are generated from that document, and each one's {@code
 * validateJsonElement} rejects fields the schema does not define, missing required fields and
 * values of the wrong shape, recursively; deserializing it then checks the scalar types (integers,
 * quantities, int-or-string). Custom resources (cert-manager, KEDA, prometheus-operator) are not
 * part of that document: {@link #modelOf} says so by returning empty.
 */
final class KubernetesOpenApi {
  private static final String MODELS = "io.kubernetes.client.openapi.models.";
  private static final JSON JSON = new JSON();

  private KubernetesOpenApi() {}

  /**
   * The generated model of a built-in apiVersion and kind, e.g. apps/v1 Deployment → V1Deployment.
   */
  static Optional<Class<?>> modelOf(String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    if (!isBuiltInGroup(group)) {
      return Optional.empty();
    }
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    String name = Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind;
    try {
      return Optional.of(Class.forName(MODELS + name));
    } catch (ClassNotFoundException e) {
      throw new AssertionError(apiVersion + " " + kind + " is not a Kubernetes 1.35 kind", e);
    }
  }

  private static boolean isBuiltInGroup(String group) {
    return group.isEmpty()
        || group.equals("apps")
        || group.equals("batch")
        || group.equals("autoscaling")
        || group.equals("policy")
        || group.endsWith(".k8s.io");
  }

  /** Throws an AssertionError naming the object and the schema's complaint when it is invalid. */
  static void validate(HasMetadata object) {
    String json = Serialization.asJson(object);
    Class<?> model =
        modelOf(object.getApiVersion(), object.getKind())
            .orElseThrow(() -> new AssertionError(object.getKind() + " is a custom resource"));
    validate(json, model, object.getKind() + " " + object.getMetadata().getName());
  }

  static void validate(String json, Class<?> model, String what) {
    JsonElement element = JsonParser.parseString(json);
    try {
      model.getMethod("validateJsonElement", JsonElement.class).invoke(null, element);
      JSON.deserialize(json, model);
    } catch (InvocationTargetException e) {
      throw new AssertionError(what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(model + " has no validateJsonElement", e);
    } catch (RuntimeException e) {
      throw new AssertionError(what + ": " + e.getMessage(), e);
    }
  }
}
