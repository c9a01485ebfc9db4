package dev.kaskade.reconciler.model;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A graph of InferenceServices (Sequence, Switch, Ensemble, Splitter). */
@Group(KServe.GROUP)
@Version("v1alpha1")
@Plural("inferencegraphs")
@ShortNames({"ig"})
public class InferenceGraph extends CustomResource<InferenceGraphSpec, ResourceStatus>
    implements Namespaced {
  public static final String KIND = "InferenceGraph";
  public static final String API_VERSION = KServe.GROUP + "/v1alpha1";
}
