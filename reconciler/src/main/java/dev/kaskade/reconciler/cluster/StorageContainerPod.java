package dev.kaskade.reconciler.cluster;

import dev.kaskade.reconciler.model.ClusterStorageContainer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure: a revision whose storageUri a ClusterStorageContainer fetches gets that container as its
 * storage initializer, as KServe's pod mutator does: an init container named {@value
 * RuntimeBridgePod#INITIALIZER_CONTAINER} with the URI and {@value RuntimeBridgePod#MODEL_DIR} as
 * arguments, writing into the model volume (an emptyDir) that the model server mounts read-only. A
 * runtime's pod has its default initializer replaced; Kaskade's worker, which otherwise downloads
 * the model itself, is told that the URI is already at {@value RuntimeBridgePod#MODEL_DIR}.
 */
final class StorageContainerPod {
  private StorageContainerPod() {}

  static Deployment inject(Deployment deployment, ClusterStorageContainer csc, String uri) {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    String volume = RuntimeBridgePod.MODEL_VOLUME;
    List<Volume> volumes = new ArrayList<>(pod.getVolumes() == null ? List.of() : pod.getVolumes());
    if (volumes.stream().noneMatch(v -> v.getName().equals(volume))) {
      volumes.add(new VolumeBuilder().withName(volume).withNewEmptyDir().endEmptyDir().build());
    }
    pod.setVolumes(volumes);
    List<Container> init =
        new ArrayList<>(pod.getInitContainers() == null ? List.of() : pod.getInitContainers());
    init.removeIf(c -> RuntimeBridgePod.INITIALIZER_CONTAINER.equals(c.getName()));
    init.add(initializer(csc, uri));
    pod.setInitContainers(init);
    boolean bridged =
        pod.getContainers().stream()
            .anyMatch(c -> RuntimeBridgePod.BRIDGE_CONTAINER.equals(c.getName()));
    Container server = pod.getContainers().get(0);
    List<VolumeMount> mounts =
        new ArrayList<>(server.getVolumeMounts() == null ? List.of() : server.getVolumeMounts());
    if (mounts.stream().noneMatch(m -> m.getName().equals(volume))) {
      mounts.add(modelMount(true));
    }
    server.setVolumeMounts(mounts);
    if (!bridged) {
      List<EnvVar> env = new ArrayList<>(server.getEnv() == null ? List.of() : server.getEnv());
      env.add(
          new EnvVar(LocalModels.LOCAL_MODELS_ENV, uri + "=" + RuntimeBridgePod.MODEL_DIR, null));
      server.setEnv(env);
    }
    return deployment;
  }

  /**
   * The container as its ClusterStorageContainer gives it (it belongs to the operator, so it keeps
   * its own securityContext, defaulted like a runtime's), with KServe's name, arguments and mount.
   */
  static Container initializer(ClusterStorageContainer csc, String uri) {
    Container own = csc.getSpec().getContainer();
    List<VolumeMount> mounts = new ArrayList<>();
    if (own.getVolumeMounts() != null) {
      own.getVolumeMounts().stream()
          .filter(m -> !m.getName().equals(RuntimeBridgePod.MODEL_VOLUME))
          .forEach(mounts::add);
    }
    mounts.add(modelMount(false));
    Container container =
        new ContainerBuilder(own)
            .withName(RuntimeBridgePod.INITIALIZER_CONTAINER)
            .withArgs(uri, RuntimeBridgePod.MODEL_DIR)
            .withVolumeMounts(mounts)
            .build();
    return WorkloadSecurity.runtimeContainer(container);
  }

  private static VolumeMount modelMount(boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(RuntimeBridgePod.MODEL_VOLUME)
        .withMountPath(RuntimeBridgePod.MODEL_DIR)
        .withReadOnly(readOnly ? true : null)
        .build();
  }
}
