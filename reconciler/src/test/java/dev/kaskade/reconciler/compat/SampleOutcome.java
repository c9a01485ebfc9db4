package dev.kaskade.reconciler.compat;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.reconciler.core.ManifestException;
import dev.kaskade.reconciler.core.Plan;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One KServe sample document and what {@code kaskade apply} made of it. */
record SampleOutcome(
    String file, String kind, String name, Verdict verdict, String detail, List<String> unknown) {
  private static final int MAX_DETAIL = 180;

  static SampleOutcome accepted(
      String file, String kind, String name, Plan plan, List<String> unknown) {
    var failure =
        plan.statuses().stream().map(Plan.StatusRecord::value).filter(v -> v != null).findFirst();
    if (failure.isPresent()) {
      return new SampleOutcome(
          file,
          kind,
          name,
          Verdict.NOT_READY,
          failure.get().getReason() + ": " + failure.get().getMessage(),
          unknown);
    }
    if (plan.event().getSpec() instanceof InferenceServiceSpec spec) {
      String detail =
          "runtime "
              + spec.getPredictor().getRuntime()
              + " ("
              + spec.getPredictor().getModelFormat()
              + ")";
      return new SampleOutcome(file, kind, name, Verdict.SERVED, detail, unknown);
    }
    return new SampleOutcome(file, kind, name, Verdict.ACCEPTED, "published", unknown);
  }

  /** The first error of a rejection: the field and why. */
  static String errorOf(ManifestException e) {
    return e.errors().isEmpty() ? e.getMessage() : e.errors().get(0);
  }

  /** The markdown table of docs/compatibility.md, with a count per verdict above it. */
  static String table(List<SampleOutcome> outcomes) {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    outcomes.forEach(o -> counts.merge(o.verdict(), 1, Integer::sum));
    StringBuilder out = new StringBuilder();
    out.append(outcomes.size()).append(" KServe resources in the samples:");
    counts.forEach(
        (verdict, n) -> out.append(' ').append(n).append(' ').append(verdict.label).append(','));
    out.setLength(out.length() - 1);
    out.append(
        ".\n\n| Sample | Kind | Name | Outcome | Detail |\n| --- | --- | --- | --- | --- |\n");
    for (SampleOutcome o : outcomes) {
      out.append("| `")
          .append(o.file())
          .append("` | ")
          .append(o.kind())
          .append(" | ")
          .append(o.name())
          .append(" | ")
          .append(o.verdict().label)
          .append(" | ")
          .append(cell(o.detail()))
          .append(o.unknown().isEmpty() ? "" : "; warns: unknown " + String.join(", ", o.unknown()))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String cell(String text) {
    String flat = text.replace('\n', ' ').replace("|", "\\|");
    return flat.length() <= MAX_DETAIL ? flat : flat.substring(0, MAX_DETAIL - 1) + "…";
  }
}
