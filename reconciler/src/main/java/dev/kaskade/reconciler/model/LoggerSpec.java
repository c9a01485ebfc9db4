package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** Payload logger settings ({@code url}, {@code mode}; the rest is kept). */
@PreserveUnknownFields
public class LoggerSpec extends Extensible {
  private String url;
  private String mode;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }
}
