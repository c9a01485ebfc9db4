package dev.kaskade.reconciler.compat;

/** What applying a KServe sample gives. */
enum Verdict {
  /** Accepted, and a Kaskade runtime serves it once its storageUri is reachable. */
  SERVED("served"),
  /** Accepted; a resource with nothing to serve by itself (a runtime, a model cache). */
  ACCEPTED("accepted"),
  /** Accepted and published, reported {@code Ready: False} with this reason. */
  NOT_READY("not ready"),
  /** Refused by {@code kaskade apply} with an error naming the field. */
  REJECTED("rejected");

  final String label;

  Verdict(String label) {
    this.label = label;
  }
}
