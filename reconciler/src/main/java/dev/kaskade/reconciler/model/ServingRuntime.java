package dev.kaskade.reconciler.model;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** A namespaced model server template. */
@Group(KServe.GROUP)
@Version("v1alpha1")
@Plural("servingruntimes")
public class ServingRuntime extends CustomResource<ServingRuntimeSpec, ResourceStatus>
    implements Namespaced {
  public static final String KIND = "ServingRuntime";
  public static final String API_VERSION = KServe.GROUP + "/v1alpha1";
}
