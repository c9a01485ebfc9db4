package dev.kaskade.workers.backend.huggingface;

/**
 * Keeps DJL off the network: set before the first DJL class loads. Offline mode makes DJL use the
 * tokenizer natives inside its jar instead of probing for a download, and disables its usage
 * tracking (which otherwise calls out on start), see docs/model-formats.md.
 */
final class Djl {
  static final String OFFLINE = "ai.djl.offline";
  static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";

  private Djl() {}

  static void offline() {
    System.setProperty(OFFLINE, "true");
    System.setProperty(OPT_OUT_TRACKING, "true");
  }
}
