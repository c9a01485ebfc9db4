package dev.kaskade.workers.generation;

/** Receives generated text as it is produced. */
@FunctionalInterface
public interface TokenSink {

  /**
   * @param text the new text (may be empty when a token produced no complete character yet)
   * @param tokens how many completion tokens this text represents
   */
  void accept(String text, int tokens);
}
