package dev.kaskade.gateway.openai;

import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.GenerationEventKind;
import dev.kaskade.events.InferenceError;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Puts one stream's GenerationEvents back in order for the client: keeps the first attempt, drops
 * events whose (attempt, seq) was seen (a producer retry), and when a re-delivered request starts a
 * new attempt either continues transparently — deterministic decoding (temperature 0 or a seed)
 * repeats the same text, so what the client already has is skipped — or ends the stream with an
 * error. Pure; one instance per stream, used on its event loop.
 */
public final class StreamAssembler {
  static {
    // Builders deep-copy nested Avro records, which Avro allows only for trusted packages.
    dev.kaskade.schemas.serde.AvroTrust.install();
  }

  private final boolean deterministic;
  private final Map<Integer, Integer> sentChars = new HashMap<>();
  private final Map<Integer, Integer> attemptChars = new HashMap<>();
  private final Set<Integer> finished = new HashSet<>();
  private String attempt;
  private int nextSeq;
  private boolean started;

  public StreamAssembler(boolean deterministic) {
    this.deterministic = deterministic;
  }

  /** The event to pass on (its text trimmed to what is new), or null to drop it. */
  public GenerationEvent accept(GenerationEvent event) {
    if (attempt == null) {
      attempt = event.getAttempt();
    } else if (!attempt.equals(event.getAttempt())) {
      if (!deterministic) {
        attempt = event.getAttempt();
        return GenerationEvent.newBuilder(event)
            .setKind(GenerationEventKind.ERROR)
            .setError(
                new InferenceError(
                    "UNAVAILABLE", "The model restarted this generation; retry the request."))
            .setTerminal(true)
            .build();
      }
      attempt = event.getAttempt();
      nextSeq = 0;
      attemptChars.clear();
    }
    if (event.getSeq() < nextSeq) {
      return null; // a duplicate
    }
    nextSeq = event.getSeq() + 1;
    return switch (event.getKind()) {
      case START -> started ? null : markStarted(event);
      case DELTA -> newText(event);
      case FINISH -> finished.add(event.getChoice()) ? event : null;
      case USAGE, ERROR -> event;
    };
  }

  private GenerationEvent markStarted(GenerationEvent event) {
    started = true;
    return event;
  }

  private GenerationEvent newText(GenerationEvent event) {
    int choice = event.getChoice();
    if (finished.contains(choice)) {
      return null;
    }
    String text = event.getText();
    int before = attemptChars.getOrDefault(choice, 0);
    attemptChars.put(choice, before + text.length());
    int sent = sentChars.getOrDefault(choice, 0);
    int skip = Math.max(0, sent - before);
    if (skip >= text.length()) {
      return null;
    }
    sentChars.put(choice, before + text.length());
    return skip == 0
        ? event
        : GenerationEvent.newBuilder(event).setText(text.substring(skip)).build();
  }
}
