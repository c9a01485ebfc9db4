package dev.kaskade.sink.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.events.GenerationResult;
import dev.kaskade.sink.replay.OutputComparison.Result;
import dev.kaskade.sink.replay.OutputComparison.Verdict;

/**
 * Compares a replayed OpenAI generation with the recorded one: the choices (text or message,
 * finish_reason) and the usage must be equal; the id and created time of a replay always differ and
 * are ignored. Greedy (temperature 0) and seeded requests replay identically on the same model;
 * unseeded sampled ones are expected to differ. Pure.
 */
final class GenerationComparison {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GenerationComparison() {}

  static Result compare(GenerationResult recorded, GenerationResult replayed) {
    if (recorded == null || replayed == null) {
      return new Result(
          Verdict.DIFFERENT,
          Double.POSITIVE_INFINITY,
          recorded == null ? "replay is a generation, the record is not" : "no generation result");
    }
    try {
      JsonNode a = JSON.readTree(recorded.getBody());
      JsonNode b = JSON.readTree(replayed.getBody());
      if (!a.path("choices").equals(b.path("choices"))) {
        return new Result(Verdict.DIFFERENT, Double.POSITIVE_INFINITY, "completion text differs");
      }
      if (!a.path("usage").equals(b.path("usage"))) {
        return new Result(Verdict.DIFFERENT, Double.POSITIVE_INFINITY, "token usage differs");
      }
      return new Result(Verdict.IDENTICAL, 0, "");
    } catch (JsonProcessingException e) {
      return new Result(Verdict.ERROR, Double.NaN, "unreadable generation body: " + e.getMessage());
    }
  }
}
