package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code TrainedModel.spec}. */
@PreserveUnknownFields
public class TrainedModelSpec extends Extensible {
  private String inferenceService;
  private TrainedModelModel model;

  public String getInferenceService() {
    return inferenceService;
  }

  public void setInferenceService(String inferenceService) {
    this.inferenceService = inferenceService;
  }

  public TrainedModelModel getModel() {
    return model;
  }

  public void setModel(TrainedModelModel model) {
    this.model = model;
  }
}
