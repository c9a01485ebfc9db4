package dev.kaskade.reconciler.model;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** A node group and the local storage its nodes cache models on. */
@Group(KServe.GROUP)
@Version("v1alpha1")
@Plural("localmodelnodegroups")
public class LocalModelNodeGroup
    extends CustomResource<LocalModelNodeGroupSpec, LocalModelNodeGroupStatus> {
  public static final String KIND = "LocalModelNodeGroup";
  public static final String API_VERSION = KServe.GROUP + "/v1alpha1";
}
