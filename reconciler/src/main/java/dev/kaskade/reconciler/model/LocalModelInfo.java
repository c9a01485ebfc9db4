package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** One entry of {@code LocalModelNode.spec.localModels}. */
@PreserveUnknownFields
public class LocalModelInfo extends Extensible {
  private String sourceModelUri;
  private String modelName;

  public String getSourceModelUri() {
    return sourceModelUri;
  }

  public void setSourceModelUri(String sourceModelUri) {
    this.sourceModelUri = sourceModelUri;
  }

  public String getModelName() {
    return modelName;
  }

  public void setModelName(String modelName) {
    this.modelName = modelName;
  }
}
