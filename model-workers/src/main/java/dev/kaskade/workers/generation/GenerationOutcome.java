package dev.kaskade.workers.generation;

import java.util.Objects;

/**
 * How one generation ended.
 *
 * @param finishReason OpenAI's finish_reason
 * @param promptTokens tokens in the prompt as the model counted them
 * @param completionTokens tokens generated
 */
public record GenerationOutcome(FinishReason finishReason, int promptTokens, int completionTokens) {

  public GenerationOutcome {
    Objects.requireNonNull(finishReason, "finishReason");
  }

  /** OpenAI's finish reasons, plus the case where the caller cancelled. */
  public enum FinishReason {
    STOP("stop"),
    LENGTH("length"),
    CANCELLED("cancelled");

    private final String wire;

    FinishReason(String wire) {
      this.wire = wire;
    }

    /** The finish_reason value on the wire. */
    public String wire() {
      return wire;
    }
  }
}
