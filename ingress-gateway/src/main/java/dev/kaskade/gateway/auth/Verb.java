package dev.kaskade.gateway.auth;

import java.util.Locale;

/** What a call does to a model, as the authorization policy names it. */
public enum Verb {
  /** Predict / infer, graphs included. */
  INFER,
  /** V1 {@code :explain}. */
  EXPLAIN,
  /** OpenAI-style generation: chat, completions, embeddings. */
  GENERATE,
  /** Model lists, metadata, readiness and the repository extension. */
  METADATA,
  /** Reading audit records, verification and replay reports through the console API. */
  AUDIT;

  public String policyName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Verb parse(String name) {
    for (Verb verb : values()) {
      if (verb.policyName().equals(name)) {
        return verb;
      }
    }
    throw new IllegalArgumentException(
        "unknown verb '" + name + "' (infer, explain, generate, metadata, audit or *)");
  }
}
