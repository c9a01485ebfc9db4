package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code modelStatus.states}. */
@PreserveUnknownFields
public class ModelRevisionStates extends Extensible {
  private String activeModelState;
  private String targetModelState;

  public String getActiveModelState() {
    return activeModelState;
  }

  public void setActiveModelState(String activeModelState) {
    this.activeModelState = activeModelState;
  }

  public String getTargetModelState() {
    return targetModelState;
  }

  public void setTargetModelState(String targetModelState) {
    this.targetModelState = targetModelState;
  }
}
