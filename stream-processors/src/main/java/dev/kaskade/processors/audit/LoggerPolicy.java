package dev.kaskade.processors.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.LoggerSpec;
import dev.kaskade.events.ResourceEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the payload logger needs to know about one InferenceService: its logger mode and url, the
 * fields to redact, and its revisions (for {@code ce_endpoint}). Built from the control-topic
 * {@link ResourceEvent}; kept in the global store as JSON.
 *
 * @param mode all, request or response
 * @param url where CloudEvents are POSTed, or null for the audit store only
 * @param redact tensor names, or JSON paths ({@code $.a.b}) into json_payload, to redact
 * @param revision the current predictor revision
 * @param canaryPercent canary traffic percent, or null when no canary is running
 */
public record LoggerPolicy(
    String mode, String url, List<String> redact, String revision, Integer canaryPercent) {
  /** Annotation listing input/output names or JSON paths to redact, comma separated. */
  public static final String REDACT_ANNOTATION = "kaskade.dev/redact";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public LoggerPolicy {
    mode = mode == null ? "all" : mode.toLowerCase(Locale.ROOT);
    if (!Set.of("all", "request", "response").contains(mode)) {
      throw new IllegalArgumentException("logger mode must be all, request or response: " + mode);
    }
    redact = List.copyOf(redact == null ? List.of() : redact);
    revision = revision == null ? "" : revision;
  }

  /** The policy of an isvc without a logger block: store everything, deliver nowhere. */
  public static LoggerPolicy defaults(String mode) {
    return new LoggerPolicy(mode, null, List.of(), "", null);
  }

  /** The policy of an InferenceService event, or null when the event is of another kind. */
  public static LoggerPolicy of(ResourceEvent event, String defaultMode) {
    if (!"InferenceService".equals(event.getKind())
        || !(event.getSpec() instanceof InferenceServiceSpec spec)) {
      return null;
    }
    LoggerSpec logger = spec.getLogger();
    Set<String> redact = new LinkedHashSet<>();
    if (logger != null) {
      redact.addAll(logger.getRedact());
    }
    String annotation = event.getAnnotations().get(REDACT_ANNOTATION);
    if (annotation != null) {
      for (String part : annotation.split(",")) {
        if (!part.isBlank()) {
          redact.add(part.trim());
        }
      }
    }
    Integer canary = spec.getPreviousPredictor() == null ? null : spec.getCanaryTrafficPercent();
    return new LoggerPolicy(
        logger == null ? defaultMode : logger.getMode(),
        logger == null ? null : logger.getUrl(),
        new ArrayList<>(redact),
        spec.getPredictor().getRevision(),
        canary);
  }

  public boolean logsRequests() {
    return !mode.equals("response");
  }

  public boolean logsResponses() {
    return !mode.equals("request");
  }

  /** KServe's endpoint label: "canary" for the new revision while a canary runs. */
  public String endpointFor(String modelVersion) {
    if (canaryPercent != null && canaryPercent < 100 && revision.equals(modelVersion)) {
      return "canary";
    }
    return "default";
  }

  public String toJson() {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("mode", mode);
    node.put("url", url);
    node.put("revision", revision);
    if (canaryPercent != null) {
      node.put("canaryPercent", canaryPercent);
    }
    redact.forEach(node.putArray("redact")::add);
    return node.toString();
  }

  public static LoggerPolicy fromJson(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      List<String> redact = new ArrayList<>();
      node.path("redact").forEach(n -> redact.add(n.asText()));
      return new LoggerPolicy(
          node.path("mode").asText("all"),
          node.hasNonNull("url") ? node.get("url").asText() : null,
          redact,
          node.path("revision").asText(""),
          node.hasNonNull("canaryPercent") ? node.get("canaryPercent").asInt() : null);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a logger policy: " + json, e);
    }
  }
}
