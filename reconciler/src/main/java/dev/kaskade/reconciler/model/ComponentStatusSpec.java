package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code status.components.<component>}. */
@PreserveUnknownFields
public class ComponentStatusSpec extends Extensible {
  private String latestReadyRevision;
  private String latestCreatedRevision;
  private String previousRolledoutRevision;
  private String latestRolledoutRevision;
  private java.util.List<TrafficTarget> traffic;

  /** Kaskade's addition: every traffic move with its time (see docs/control-plane.md). */
  private java.util.List<java.util.Map<String, Object>> rolloutHistory;

  public java.util.List<java.util.Map<String, Object>> getRolloutHistory() {
    return rolloutHistory;
  }

  public void setRolloutHistory(java.util.List<java.util.Map<String, Object>> rolloutHistory) {
    this.rolloutHistory = rolloutHistory;
  }

  private String url;
  private String restUrl;
  private String grpcUrl;
  private Addressable address;

  public String getLatestReadyRevision() {
    return latestReadyRevision;
  }

  public void setLatestReadyRevision(String latestReadyRevision) {
    this.latestReadyRevision = latestReadyRevision;
  }

  public String getLatestCreatedRevision() {
    return latestCreatedRevision;
  }

  public void setLatestCreatedRevision(String latestCreatedRevision) {
    this.latestCreatedRevision = latestCreatedRevision;
  }

  public String getPreviousRolledoutRevision() {
    return previousRolledoutRevision;
  }

  public void setPreviousRolledoutRevision(String previousRolledoutRevision) {
    this.previousRolledoutRevision = previousRolledoutRevision;
  }

  public String getLatestRolledoutRevision() {
    return latestRolledoutRevision;
  }

  public void setLatestRolledoutRevision(String latestRolledoutRevision) {
    this.latestRolledoutRevision = latestRolledoutRevision;
  }

  public java.util.List<TrafficTarget> getTraffic() {
    return traffic;
  }

  public void setTraffic(java.util.List<TrafficTarget> traffic) {
    this.traffic = traffic;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getRestUrl() {
    return restUrl;
  }

  public void setRestUrl(String restUrl) {
    this.restUrl = restUrl;
  }

  public String getGrpcUrl() {
    return grpcUrl;
  }

  public void setGrpcUrl(String grpcUrl) {
    this.grpcUrl = grpcUrl;
  }

  public Addressable getAddress() {
    return address;
  }

  public void setAddress(Addressable address) {
    this.address = address;
  }
}
