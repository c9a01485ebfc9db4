package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code InferenceService.spec}. */
@PreserveUnknownFields
public class InferenceServiceSpec extends Extensible {
  private PredictorSpec predictor;
  private ComponentExtension transformer;
  private ExplainerSpec explainer;

  public PredictorSpec getPredictor() {
    return predictor;
  }

  public void setPredictor(PredictorSpec predictor) {
    this.predictor = predictor;
  }

  public ComponentExtension getTransformer() {
    return transformer;
  }

  public void setTransformer(ComponentExtension transformer) {
    this.transformer = transformer;
  }

  public ExplainerSpec getExplainer() {
    return explainer;
  }

  public void setExplainer(ExplainerSpec explainer) {
    this.explainer = explainer;
  }
}
