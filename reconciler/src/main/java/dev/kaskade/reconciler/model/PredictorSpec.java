package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/**
 * {@code spec.predictor}: exactly one of {@code model}, a framework shortcut or custom {@code
 * containers}.
 */
@PreserveUnknownFields
public class PredictorSpec extends ComponentExtension {
  private String name;
  private ModelSpec model;
  private ModelSpec sklearn;
  private ModelSpec xgboost;
  private ModelSpec tensorflow;
  private ModelSpec pytorch;
  private ModelSpec triton;
  private ModelSpec onnx;
  private ModelSpec huggingface;
  private ModelSpec pmml;
  private ModelSpec lightgbm;
  private ModelSpec paddle;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public ModelSpec getModel() {
    return model;
  }

  public void setModel(ModelSpec model) {
    this.model = model;
  }

  public ModelSpec getSklearn() {
    return sklearn;
  }

  public void setSklearn(ModelSpec sklearn) {
    this.sklearn = sklearn;
  }

  public ModelSpec getXgboost() {
    return xgboost;
  }

  public void setXgboost(ModelSpec xgboost) {
    this.xgboost = xgboost;
  }

  public ModelSpec getTensorflow() {
    return tensorflow;
  }

  public void setTensorflow(ModelSpec tensorflow) {
    this.tensorflow = tensorflow;
  }

  public ModelSpec getPytorch() {
    return pytorch;
  }

  public void setPytorch(ModelSpec pytorch) {
    this.pytorch = pytorch;
  }

  public ModelSpec getTriton() {
    return triton;
  }

  public void setTriton(ModelSpec triton) {
    this.triton = triton;
  }

  public ModelSpec getOnnx() {
    return onnx;
  }

  public void setOnnx(ModelSpec onnx) {
    this.onnx = onnx;
  }

  public ModelSpec getHuggingface() {
    return huggingface;
  }

  public void setHuggingface(ModelSpec huggingface) {
    this.huggingface = huggingface;
  }

  public ModelSpec getPmml() {
    return pmml;
  }

  public void setPmml(ModelSpec pmml) {
    this.pmml = pmml;
  }

  public ModelSpec getLightgbm() {
    return lightgbm;
  }

  public void setLightgbm(ModelSpec lightgbm) {
    this.lightgbm = lightgbm;
  }

  public ModelSpec getPaddle() {
    return paddle;
  }

  public void setPaddle(ModelSpec paddle) {
    this.paddle = paddle;
  }
}
