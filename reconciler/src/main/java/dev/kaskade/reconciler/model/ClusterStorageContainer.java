package dev.kaskade.reconciler.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * KServe's custom storage initializer: a container that fetches the storage URIs matching its
 * {@code supportedUriFormats}. {@code disabled} is a top-level field in KServe's API, beside spec.
 */
@Group(KServe.GROUP)
@Version("v1alpha1")
@Plural("clusterstoragecontainers")
public class ClusterStorageContainer extends CustomResource<StorageContainerSpec, ResourceStatus> {
  public static final String KIND = "ClusterStorageContainer";
  public static final String API_VERSION = KServe.GROUP + "/v1alpha1";

  /** The top-level field KServe has beside spec. */
  public static final String DISABLED = "disabled";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private Boolean disabled;

  public Boolean getDisabled() {
    return disabled;
  }

  public void setDisabled(Boolean disabled) {
    this.disabled = disabled;
  }

  /** Whether matching skips it ({@code disabled: true}). */
  public boolean disabled() {
    return Boolean.TRUE.equals(disabled);
  }
}
