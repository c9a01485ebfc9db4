package dev.kaskade.reconciler.model;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** A model pre-fetched onto the nodes of its node groups (standalone: the data dir's cache). */
@Group(KServe.GROUP)
@Version("v1alpha1")
@Plural("localmodelcaches")
public class LocalModelCache extends CustomResource<LocalModelCacheSpec, LocalModelCacheStatus> {
  public static final String KIND = "LocalModelCache";
  public static final String API_VERSION = KServe.GROUP + "/v1alpha1";
}
