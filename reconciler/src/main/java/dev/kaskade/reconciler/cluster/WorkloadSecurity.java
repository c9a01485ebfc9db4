package dev.kaskade.reconciler.cluster;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hardening of every pod the reconciler generates (issue 14, item 7). The pod runs as the Kaskade
 * image's user {@value #KASKADE_UID}, non-root, with the RuntimeDefault seccomp profile. Kaskade's
 * own containers (worker, bridge sidecar, storage initializer) get a read-only root filesystem, no
 * privilege escalation and no capabilities, and write only to emptyDirs ({@value #TMP_DIR} and the
 * data directory {@value #DATA_DIR}). A ServingRuntime's or custom predictor's containers keep
 * their own securityContext, defaulted to no privilege escalation and {@code drop: [ALL]} only:
 * KServe runtime images often write to their own filesystem, so their root filesystem stays
 * writable. Pure.
 */
final class WorkloadSecurity {
  static final long KASKADE_UID = 10001L;
  static final String DATA_DIR = "/var/lib/kaskade";
  static final String DATA_VOLUME = "kaskade-data";
  static final String TMP_DIR = "/tmp";
  static final String TMP_VOLUME = "kaskade-tmp";

  /** The worker's arguments that put its data directory (model cache) on the writable volume. */
  static final List<String> DATA_DIR_ARGS = List.of("--data-dir", DATA_DIR);

  private WorkloadSecurity() {}

  /**
   * The pod hardened.
   *
   * @param pod the generated pod
   * @param kaskade names of Kaskade's own containers (read-only root filesystem)
   * @param workers names of those among them that need the data directory
   * @param serviceAccount the predictor's {@code serviceAccountName}, or null: then no token is
   *     mounted (workers need no Kubernetes API access)
   */
  static PodSpec harden(
      PodSpec pod, Set<String> kaskade, Set<String> workers, String serviceAccount) {
    PodSpecBuilder hardened =
        new PodSpecBuilder(pod)
            .withContainers(containers(pod.getContainers(), kaskade, workers))
            .withSecurityContext(podSecurityContext());
    if (pod.getInitContainers() != null && !pod.getInitContainers().isEmpty()) {
      hardened.withInitContainers(containers(pod.getInitContainers(), kaskade, workers));
    }
    hardened.addNewVolume().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().endVolume();
    if (pod.getContainers().stream().anyMatch(c -> workers.contains(c.getName()))) {
      hardened.addNewVolume().withName(DATA_VOLUME).withNewEmptyDir().endEmptyDir().endVolume();
    }
    boolean named = serviceAccount != null && !serviceAccount.isBlank();
    return hardened
        .withServiceAccountName(named ? serviceAccount : null)
        .withAutomountServiceAccountToken(named ? null : false)
        .build();
  }

  private static List<Container> containers(
      List<Container> containers, Set<String> kaskade, Set<String> workers) {
    return containers.stream()
        .map(
            c ->
                kaskade.contains(c.getName())
                    ? kaskadeContainer(c, workers.contains(c.getName()))
                    : runtimeContainer(c))
        .toList();
  }

  static PodSecurityContext podSecurityContext() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(KASKADE_UID)
        .withRunAsGroup(KASKADE_UID)
        .withFsGroup(KASKADE_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  private static Container kaskadeContainer(Container container, boolean worker) {
    List<VolumeMount> mounts =
        new ArrayList<>(
            container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts());
    mounts.add(mount(TMP_VOLUME, TMP_DIR));
    if (worker) {
      mounts.add(mount(DATA_VOLUME, DATA_DIR));
    }
    return new ContainerBuilder(container)
        .withVolumeMounts(mounts)
        .withSecurityContext(
            new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withCapabilities(dropAll())
                .build())
        .build();
  }

  /** The runtime's own securityContext, defaulted (never overridden) to the unprivileged one. */
  static Container runtimeContainer(Container container) {
    SecurityContext own = container.getSecurityContext();
    SecurityContextBuilder context =
        own == null ? new SecurityContextBuilder() : new SecurityContextBuilder(own);
    if (own == null || own.getAllowPrivilegeEscalation() == null) {
      context.withAllowPrivilegeEscalation(false);
    }
    Capabilities caps = own == null ? null : own.getCapabilities();
    if (caps == null || caps.getDrop() == null || caps.getDrop().isEmpty()) {
      context.withCapabilities(
          new CapabilitiesBuilder()
              .withAdd(caps == null ? null : caps.getAdd())
              .withDrop("ALL")
              .build());
    }
    return new ContainerBuilder(container).withSecurityContext(context.build()).build();
  }

  private static Capabilities dropAll() {
    return new CapabilitiesBuilder().withDrop("ALL").build();
  }

  private static VolumeMount mount(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
  }
}
