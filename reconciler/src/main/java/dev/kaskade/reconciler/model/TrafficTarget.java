package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** One entry of {@code components.<c>.traffic}. */
@PreserveUnknownFields
public class TrafficTarget extends Extensible {
  private String tag;
  private String revisionName;
  private String configurationName;
  private Boolean latestRevision;
  private Long percent;
  private String url;

  public String getTag() {
    return tag;
  }

  public void setTag(String tag) {
    this.tag = tag;
  }

  public String getRevisionName() {
    return revisionName;
  }

  public void setRevisionName(String revisionName) {
    this.revisionName = revisionName;
  }

  public String getConfigurationName() {
    return configurationName;
  }

  public void setConfigurationName(String configurationName) {
    this.configurationName = configurationName;
  }

  public Boolean getLatestRevision() {
    return latestRevision;
  }

  public void setLatestRevision(Boolean latestRevision) {
    this.latestRevision = latestRevision;
  }

  public Long getPercent() {
    return percent;
  }

  public void setPercent(Long percent) {
    this.percent = percent;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }
}
