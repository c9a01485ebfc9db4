package dev.kaskade.reconciler.model;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** KServe InferenceService (serving.kserve.io/v1beta1). */
@Group(KServe.GROUP)
@Version("v1beta1")
@Plural("inferenceservices")
@ShortNames({"isvc"})
public class InferenceService extends CustomResource<InferenceServiceSpec, InferenceServiceStatus>
    implements Namespaced {
  public static final String KIND = "InferenceService";
  public static final String API_VERSION = KServe.GROUP + "/v1beta1";
}
