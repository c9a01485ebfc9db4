package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code spec.explainer}: {@code art} or a custom container. */
@PreserveUnknownFields
public class ExplainerSpec extends ComponentExtension {
  private ExplainerArt art;

  public ExplainerArt getArt() {
    return art;
  }

  public void setArt(ExplainerArt art) {
    this.art = art;
  }
}
