package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;

/**
 * {@code ClusterStorageContainer.spec}: the storage initializer container, the URIs it fetches
 * ({@code prefix} or {@code regex} each), and where it runs ({@code workloadType}: {@value
 * #INIT_CONTAINER}, the default, or {@value #LOCAL_MODEL_DOWNLOAD_JOB}).
 */
@PreserveUnknownFields
public class StorageContainerSpec extends Extensible {
  public static final String INIT_CONTAINER = "initContainer";
  public static final String LOCAL_MODEL_DOWNLOAD_JOB = "localModelDownloadJob";

  private Container container;
  private List<SupportedUriFormat> supportedUriFormats;
  private String workloadType;
  private Boolean supportsMultiModelDownload;

  public Container getContainer() {
    return container;
  }

  public void setContainer(Container container) {
    this.container = container;
  }

  public List<SupportedUriFormat> getSupportedUriFormats() {
    return supportedUriFormats;
  }

  public void setSupportedUriFormats(List<SupportedUriFormat> supportedUriFormats) {
    this.supportedUriFormats = supportedUriFormats;
  }

  public String getWorkloadType() {
    return workloadType;
  }

  public void setWorkloadType(String workloadType) {
    this.workloadType = workloadType;
  }

  /** The workload type with KServe's default applied. */
  public String effectiveWorkloadType() {
    return workloadType == null || workloadType.isEmpty() ? INIT_CONTAINER : workloadType;
  }

  public Boolean getSupportsMultiModelDownload() {
    return supportsMultiModelDownload;
  }

  public void setSupportsMultiModelDownload(Boolean supportsMultiModelDownload) {
    this.supportsMultiModelDownload = supportsMultiModelDownload;
  }
}
