package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** One {@code supportedModelFormats} entry of a runtime. */
@PreserveUnknownFields
public class SupportedModelFormat extends Extensible {
  private String name;
  private String version;
  private Boolean autoSelect;
  private Integer priority;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public Boolean getAutoSelect() {
    return autoSelect;
  }

  public void setAutoSelect(Boolean autoSelect) {
    this.autoSelect = autoSelect;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority;
  }
}
