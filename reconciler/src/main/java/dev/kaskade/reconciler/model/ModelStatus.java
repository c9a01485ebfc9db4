package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code status.modelStatus}. */
@PreserveUnknownFields
public class ModelStatus extends Extensible {
  private String transitionStatus;
  private ModelRevisionStates states;
  private FailureInfo lastFailureInfo;

  public String getTransitionStatus() {
    return transitionStatus;
  }

  public void setTransitionStatus(String transitionStatus) {
    this.transitionStatus = transitionStatus;
  }

  public ModelRevisionStates getStates() {
    return states;
  }

  public void setStates(ModelRevisionStates states) {
    this.states = states;
  }

  public FailureInfo getLastFailureInfo() {
    return lastFailureInfo;
  }

  public void setLastFailureInfo(FailureInfo lastFailureInfo) {
    this.lastFailureInfo = lastFailureInfo;
  }
}
