package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code modelStatus.lastFailureInfo}. */
@PreserveUnknownFields
public class FailureInfo extends Extensible {
  private String location;
  private String reason;
  private String message;
  private String modelRevisionName;
  private String time;
  private Integer exitCode;

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getModelRevisionName() {
    return modelRevisionName;
  }

  public void setModelRevisionName(String modelRevisionName) {
    this.modelRevisionName = modelRevisionName;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public Integer getExitCode() {
    return exitCode;
  }

  public void setExitCode(Integer exitCode) {
    this.exitCode = exitCode;
  }
}
