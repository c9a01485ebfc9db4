package dev.kaskade.reconciler.cluster;

import dev.kaskade.schemas.runtime.KaskadeContext;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a ServingRuntime's or custom predictor's containers may ask for: they run unchanged in the
 * revision's pod, so without this anyone who may create a ServingRuntime or an InferenceService
 * could run a privileged container on the node. Pure.
 *
 * @param allowPrivileged setting {@value #ALLOW_PRIVILEGED} (default false): allow {@code
 *     privileged}, {@code allowPrivilegeEscalation}, any added capability, host namespaces and
 *     hostPath volumes
 * @param allowedCapabilities setting {@value #ALLOWED_CAPABILITIES}, comma-separated (default
 *     none): capabilities a container may add, e.g. {@code NET_BIND_SERVICE}
 */
public record RuntimePolicy(boolean allowPrivileged, Set<String> allowedCapabilities) {
  public static final String ALLOW_PRIVILEGED = "reconciler.allow-privileged-runtimes";
  public static final String ALLOWED_CAPABILITIES = "reconciler.allowed-runtime-capabilities";

  /** Nothing privileged allowed (the default). */
  public static final RuntimePolicy STRICT = new RuntimePolicy(false, Set.of());

  private static final String REFUSED =
      " is not allowed (the operator may allow it with " + ALLOW_PRIVILEGED + ")";

  private static final List<String> HOST_NAMESPACES = List.of("hostNetwork", "hostPID", "hostIPC");

  public RuntimePolicy {
    allowedCapabilities =
        allowedCapabilities.stream().map(RuntimePolicy::capability).collect(Collectors.toSet());
  }

  public static RuntimePolicy from(KaskadeContext ctx) {
    String caps = ctx.setting(ALLOWED_CAPABILITIES, "");
    return new RuntimePolicy(
        Boolean.parseBoolean(ctx.setting(ALLOW_PRIVILEGED, "false").trim()),
        Arrays.stream(caps.split(","))
            .map(String::trim)
            .filter(c -> !c.isEmpty())
            .collect(Collectors.toSet()));
  }

  /**
   * The requests the policy refuses, each naming its field, e.g. {@code
   * spec.containers[0].securityContext.privileged: true is not allowed}.
   *
   * @param prefix where the fields live ({@code spec.predictor} or {@code ServingRuntime x: spec})
   * @param containers the model server's containers
   * @param podFields pod-level fields given beside them (hostNetwork, volumes, …), as parsed
   */
  List<String> violations(
      String prefix, List<Container> containers, Map<String, Object> podFields) {
    if (allowPrivileged) {
      return List.of();
    }
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < containers.size(); i++) {
      SecurityContext context = containers.get(i).getSecurityContext();
      if (context != null) {
        containerViolations(prefix + ".containers[" + i + "].securityContext", context, errors);
      }
    }
    for (String field : HOST_NAMESPACES) {
      if (Boolean.TRUE.equals(podFields.get(field))) {
        errors.add(prefix + "." + field + ": true" + REFUSED);
      }
    }
    if (podFields.get("volumes") instanceof List<?> volumes) {
      for (int i = 0; i < volumes.size(); i++) {
        if (volumes.get(i) instanceof Map<?, ?> volume && volume.containsKey("hostPath")) {
          errors.add(prefix + ".volumes[" + i + "].hostPath" + REFUSED);
        }
      }
    }
    return errors;
  }

  private void containerViolations(String field, SecurityContext context, List<String> errors) {
    if (Boolean.TRUE.equals(context.getPrivileged())) {
      errors.add(field + ".privileged: true" + REFUSED);
    }
    if (Boolean.TRUE.equals(context.getAllowPrivilegeEscalation())) {
      errors.add(field + ".allowPrivilegeEscalation: true" + REFUSED);
    }
    List<String> added =
        context.getCapabilities() == null || context.getCapabilities().getAdd() == null
            ? List.of()
            : context.getCapabilities().getAdd();
    for (String cap : added) {
      if (!allowedCapabilities.contains(capability(cap))) {
        errors.add(
            field
                + ".capabilities.add: "
                + cap
                + " is not in "
                + ALLOWED_CAPABILITIES
                + " (the operator may allow it there or with "
                + ALLOW_PRIVILEGED
                + ")");
      }
    }
  }

  /** {@code net_bind_service} and {@code CAP_NET_BIND_SERVICE} are Kubernetes' NET_BIND_SERVICE. */
  private static String capability(String name) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    return upper.startsWith("CAP_") ? upper.substring(4) : upper;
  }
}
