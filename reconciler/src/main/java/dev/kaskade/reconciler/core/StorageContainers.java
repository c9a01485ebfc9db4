package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.ClusterStorageContainer;
import dev.kaskade.reconciler.model.StorageContainerSpec;
import dev.kaskade.reconciler.model.SupportedUriFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Pure: KServe's ClusterStorageContainer rules. A storage URI is fetched by the first enabled
 * container (by name, so the choice does not depend on listing order) of the wanted workload type
 * with a format that matches: a {@code prefix} the URI starts with, or a {@code regex} found
 * anywhere in it (Go's {@code regexp.MatchString}, which KServe uses, is unanchored too).
 */
public final class StorageContainers {
  static final Set<String> WORKLOAD_TYPES =
      Set.of(StorageContainerSpec.INIT_CONTAINER, StorageContainerSpec.LOCAL_MODEL_DOWNLOAD_JOB);

  private StorageContainers() {}

  /** The container that fetches {@code uri} as an init container, if any. */
  public static Optional<ClusterStorageContainer> initContainerFor(
      String uri, List<ClusterStorageContainer> containers) {
    return matching(uri, containers, StorageContainerSpec.INIT_CONTAINER);
  }

  /** The container of {@code workloadType} that fetches {@code uri}, if any. */
  public static Optional<ClusterStorageContainer> matching(
      String uri, List<ClusterStorageContainer> containers, String workloadType) {
    if (uri == null) {
      return Optional.empty();
    }
    return containers.stream()
        .filter(c -> !c.disabled() && c.getSpec() != null)
        .filter(c -> workloadType.equals(c.getSpec().effectiveWorkloadType()))
        .filter(c -> supports(c.getSpec(), uri))
        .min(Comparator.comparing(c -> c.getMetadata().getName()));
  }

  /** Whether one of the spec's formats matches; an invalid regex matches nothing. */
  public static boolean supports(StorageContainerSpec spec, String uri) {
    if (spec.getSupportedUriFormats() == null) {
      return false;
    }
    for (SupportedUriFormat format : spec.getSupportedUriFormats()) {
      if (notEmpty(format.getPrefix())) {
        if (uri.startsWith(format.getPrefix())) {
          return true;
        }
      } else if (notEmpty(format.getRegex()) && matchesRegex(format.getRegex(), uri)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesRegex(String regex, String uri) {
    try {
      return Pattern.compile(regex).matcher(uri).find();
    } catch (PatternSyntaxException e) {
      return false; // refused at apply; a stored one from elsewhere just does not match
    }
  }

  /** Field errors of a ClusterStorageContainer, each naming its field. */
  static List<String> validate(ClusterStorageContainer csc) {
    List<String> errors = new ArrayList<>();
    StorageContainerSpec spec = csc.getSpec();
    if (spec == null) {
      errors.add("spec: required (container and supportedUriFormats)");
      return errors;
    }
    if (spec.getContainer() == null) {
      errors.add("spec.container: required (the storage initializer container)");
    } else if (!notEmpty(spec.getContainer().getImage())) {
      errors.add("spec.container.image: required");
    }
    List<SupportedUriFormat> formats = spec.getSupportedUriFormats();
    if (formats == null || formats.isEmpty()) {
      errors.add("spec.supportedUriFormats: at least one prefix or regex is required");
    } else {
      for (int i = 0; i < formats.size(); i++) {
        format("spec.supportedUriFormats[" + i + "]", formats.get(i), errors);
      }
    }
    if (spec.getWorkloadType() != null && !WORKLOAD_TYPES.contains(spec.getWorkloadType())) {
      errors.add(
          "spec.workloadType: must be initContainer or localModelDownloadJob, got '"
              + spec.getWorkloadType()
              + "'");
    }
    return errors;
  }

  private static void format(String path, SupportedUriFormat format, List<String> errors) {
    boolean prefix = notEmpty(format.getPrefix());
    boolean regex = notEmpty(format.getRegex());
    if (prefix == regex) {
      errors.add(path + ": exactly one of prefix or regex is required");
    } else if (regex) {
      try {
        Pattern.compile(format.getRegex());
      } catch (PatternSyntaxException e) {
        errors.add(
            path
                + ".regex: not a valid regular expression '"
                + format.getRegex()
                + "': "
                + e.getDescription()
                + " near index "
                + e.getIndex());
      }
    }
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
