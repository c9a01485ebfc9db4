package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** One entry of {@code supportedUriFormats}: a URI prefix, or a regex found anywhere in it. */
@PreserveUnknownFields
public class SupportedUriFormat extends Extensible {
  private String prefix;
  private String regex;

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  public String getRegex() {
    return regex;
  }

  public void setRegex(String regex) {
    this.regex = regex;
  }
}
