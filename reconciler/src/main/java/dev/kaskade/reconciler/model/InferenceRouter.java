package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** One InferenceGraph node. */
@PreserveUnknownFields
public class InferenceRouter extends Extensible {
  private String routerType;
  private java.util.List<InferenceStep> steps;

  public String getRouterType() {
    return routerType;
  }

  public void setRouterType(String routerType) {
    this.routerType = routerType;
  }

  public java.util.List<InferenceStep> getSteps() {
    return steps;
  }

  public void setSteps(java.util.List<InferenceStep> steps) {
    this.steps = steps;
  }
}
