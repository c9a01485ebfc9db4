package dev.kaskade.reconciler.model;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A model added to a multi-model InferenceService. */
@Group(KServe.GROUP)
@Version("v1alpha1")
@Plural("trainedmodels")
@ShortNames({"tm"})
public class TrainedModel extends CustomResource<TrainedModelSpec, ResourceStatus>
    implements Namespaced {
  public static final String KIND = "TrainedModel";
  public static final String API_VERSION = KServe.GROUP + "/v1alpha1";
}
