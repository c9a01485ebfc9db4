package dev.kaskade.processors.transform;

import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What code a manifest may make the shared stream processors run. A manifest names a class ({@code
 * kaskade.dev/transformer-class}) and jars ({@code spec.transformer.storageUri}); the operator
 * decides which of them are honoured, because a transformer runs inside the one processors JVM that
 * serves every tenant.
 *
 * @param allowedClasses {@value #ALLOWED_CLASSES}: comma list of class names, or package prefixes
 *     ending in {@code .*}; default {@value #DEFAULT_ALLOWED}, Kaskade's own transformers
 * @param jarsEnabled {@value #JARS_ENABLED}: whether {@code storageUri} jars are loaded at all
 *     (default false); their classes must be allowed too
 */
public record TransformerPolicy(List<String> allowedClasses, boolean jarsEnabled) {
  public static final String ALLOWED_CLASSES = "processors.transformer.allowed.classes";
  public static final String JARS_ENABLED = "processors.transformer.jars.enabled";
  public static final String DEFAULT_ALLOWED = "dev.kaskade.*";

  /** Kaskade's own transformers only, no jars. */
  public static final TransformerPolicy DEFAULT =
      new TransformerPolicy(List.of(DEFAULT_ALLOWED), false);

  public TransformerPolicy {
    allowedClasses = List.copyOf(allowedClasses);
  }

  public static TransformerPolicy from(Map<String, String> settings) {
    List<String> allowed =
        Arrays.stream(settings.getOrDefault(ALLOWED_CLASSES, DEFAULT_ALLOWED).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    return new TransformerPolicy(
        allowed, Boolean.parseBoolean(settings.getOrDefault(JARS_ENABLED, "false")));
  }

  public boolean allows(String className) {
    for (String entry : allowedClasses) {
      if (entry.endsWith(".*")
          ? className.startsWith(entry.substring(0, entry.length() - 1))
          : className.equals(entry)) {
        return true;
      }
    }
    return false;
  }

  /** Throws, naming the setting, when the class may not be loaded. */
  public void requireAllowed(String className) {
    if (!allows(className)) {
      throw new KaskadeException(
          Reason.INVALID_ARGUMENT,
          "transformer class '"
              + className
              + "' is not allowed: the operator lists the classes manifests may name in "
              + ALLOWED_CLASSES
              + " (now: "
              + String.join(",", allowedClasses)
              + ")");
    }
  }

  /** Throws, naming the setting, when jars may not be loaded. */
  public void requireJars() {
    if (!jarsEnabled) {
      throw new KaskadeException(
          Reason.INVALID_ARGUMENT,
          "transformer jars from storageUri are disabled: the operator turns them on with "
              + JARS_ENABLED
              + "=true");
    }
  }
}
