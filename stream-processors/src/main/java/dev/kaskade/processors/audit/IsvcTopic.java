package dev.kaskade.processors.audit;

/**
 * The namespace, InferenceService and direction of a per-isvc topic {@code
 * <prefix>.<namespace>.<isvc>.requests|responses}. Kubernetes namespaces and InferenceService names
 * contain no dots, so the two segments before the last are unambiguous.
 */
record IsvcTopic(String namespace, String isvc, boolean isRequests) {
  static IsvcTopic parse(String topic) {
    String[] parts = topic.split("\\.");
    if (parts.length < 4) {
      throw new IllegalArgumentException("not a per-InferenceService topic: " + topic);
    }
    String hop = parts[parts.length - 1];
    return new IsvcTopic(parts[parts.length - 3], parts[parts.length - 2], hop.equals("requests"));
  }
}
