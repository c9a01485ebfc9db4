package dev.kaskade.reconciler.model;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** A cluster-wide model server template. */
@Group(KServe.GROUP)
@Version("v1alpha1")
@Plural("clusterservingruntimes")
public class ClusterServingRuntime extends CustomResource<ServingRuntimeSpec, ResourceStatus> {
  public static final String KIND = "ClusterServingRuntime";
  public static final String API_VERSION = KServe.GROUP + "/v1alpha1";
}
