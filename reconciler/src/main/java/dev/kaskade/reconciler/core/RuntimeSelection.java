package dev.kaskade.reconciler.core;

/** The outcome of runtime selection. */
public sealed interface RuntimeSelection {

  /** A runtime was found. */
  record Selected(RuntimeCandidate runtime) implements RuntimeSelection {}

  /**
   * No runtime: the InferenceService is accepted but cannot be served here.
   *
   * @param reason a KServe lastFailureInfo reason (NoSupportingRuntime, RuntimeNotRecognized,
   *     RuntimeDisabled)
   * @param message why, for the status condition
   */
  record Unservable(String reason, String message) implements RuntimeSelection {}
}
