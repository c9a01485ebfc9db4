package dev.kaskade.reconciler.model;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** The models cached on one node (written by the cache's controller). */
@Group(KServe.GROUP)
@Version("v1alpha1")
@Plural("localmodelnodes")
public class LocalModelNode extends CustomResource<LocalModelNodeSpec, LocalModelNodeStatus> {
  public static final String KIND = "LocalModelNode";
  public static final String API_VERSION = KServe.GROUP + "/v1alpha1";
}
