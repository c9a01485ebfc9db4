package dev.kaskade.reconciler.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.core.Manifest;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.core.ManifestException;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.core.ResourcePlanner;
import dev.kaskade.reconciler.core.UnknownFields;
import dev.kaskade.reconciler.publish.ControlSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * KServe's published sample manifests as a compatibility suite: each KServe resource in them is
 * applied as {@code kaskade apply} would, and the outcome must be the one docs/compatibility.md
 * states — served, accepted but not ready with a reason, or rejected naming the field. Run with
 * {@code -Dcompat.write=true} to rewrite the table after a deliberate change.
 */
class KServeSamplesCompatibilityTest {
  private static final String BEGIN = "<!-- samples:begin -->";
  private static final String END = "<!-- samples:end -->";

  @Test
  void everyKServeSampleHasTheOutcomeTheCompatibilityTableStates() throws IOException {
    List<SampleOutcome> outcomes = applyAll();
    String table = SampleOutcome.table(outcomes);
    Path doc = docsPage();
    String page = Files.readString(doc);
    if (Boolean.getBoolean("compat.write")) {
      Files.writeString(doc, replaceTable(page, table));
      page = Files.readString(doc);
    }
    assertThat(tableIn(page))
        .as("docs/compatibility.md, between the samples markers")
        .isEqualTo(table);
  }

  @Test
  void noSampleIsSilentlyTurnedIntoSomethingElse() {
    List<SampleOutcome> outcomes = applyAll();
    assertThat(outcomes).hasSizeGreaterThan(80);
    for (SampleOutcome outcome : outcomes) {
      switch (outcome.verdict()) {
        case REJECTED -> assertThat(outcome.detail()).as(outcome.file()).matches("(?s)^[^:]+: .+");
        case NOT_READY ->
            assertThat(outcome.detail()).as(outcome.file()).matches("(?s)^[A-Za-z]+: .+");
        case SERVED, ACCEPTED -> assertThat(outcome.detail()).as(outcome.file()).isNotBlank();
      }
    }
    assertThat(outcomes).anySatisfy(o -> assertThat(o.verdict()).isEqualTo(Verdict.SERVED));
  }

  /**
   * Applies every sample, one directory at a time in one control state (as a user applying a
   * sample's folder would), files with a runtime first, then the rest by name.
   */
  private static List<SampleOutcome> applyAll() {
    Path root = samplesRoot();
    Map<Path, List<Path>> byDirectory = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(KServeSamplesCompatibilityTest::isYaml)
          .forEach(f -> byDirectory.computeIfAbsent(f.getParent(), d -> new ArrayList<>()).add(f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<SampleOutcome> outcomes = new ArrayList<>();
    byDirectory.forEach(
        (directory, files) -> {
          ControlSnapshot state = Fixtures.stateWithBuiltIns();
          files.stream()
              .sorted(Comparator.comparing((Path f) -> !declaresRuntime(f)).thenComparing(f -> f))
              .forEach(
                  f -> outcomes.addAll(applyFile(root.relativize(f).toString(), read(f), state)));
        });
    return outcomes;
  }

  /** Applies the KServe documents of one file in order, as one {@code kaskade apply -f} would. */
  private static List<SampleOutcome> applyFile(String name, String text, ControlSnapshot state) {
    List<SampleOutcome> outcomes = new ArrayList<>();
    List<Object> docs = new ArrayList<>();
    try {
      new Load(LoadSettings.builder().build()).loadAllFromString(text).forEach(docs::add);
    } catch (RuntimeException e) {
      return List.of(unparsable(name, text));
    }
    for (Object doc : docs) {
      if (doc instanceof Map<?, ?> map
          && String.valueOf(map.get("apiVersion")).startsWith("serving.kserve.io/")) {
        outcomes.add(applyDocument(name, map, state));
      }
    }
    return outcomes;
  }

  /** What apply says about a file that is not YAML (KServe ships a few Go templates). */
  private static SampleOutcome unparsable(String file, String text) {
    try {
      ManifestCodec.parse(text, file, null, "default");
      throw new AssertionError(file + " failed to load here but parsed in ManifestCodec");
    } catch (ManifestException e) {
      return new SampleOutcome(
          file, "(file)", "", Verdict.REJECTED, SampleOutcome.errorOf(e), List.of());
    }
  }

  private static SampleOutcome applyDocument(String file, Map<?, ?> doc, ControlSnapshot state) {
    String kind = String.valueOf(doc.get("kind"));
    String name = doc.get("metadata") instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : "";
    String yaml = new Dump(DumpSettings.builder().build()).dumpToString(doc);
    try {
      Manifest manifest = ManifestCodec.parse(yaml, file, null, "default").get(0);
      Plan plan = ResourcePlanner.plan(manifest, state);
      state.put(plan.event());
      List<String> unknown = UnknownFields.of(manifest.resource());
      return SampleOutcome.accepted(file, kind, name, plan, unknown);
    } catch (ManifestException e) {
      return new SampleOutcome(
          file, kind, name, Verdict.REJECTED, SampleOutcome.errorOf(e), List.of());
    }
  }

  private static boolean declaresRuntime(Path file) {
    return read(file).contains("ServingRuntime");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static String tableIn(String page) {
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    return begin < 0 || end < begin
        ? ""
        : page.substring(begin + BEGIN.length(), end).strip() + "\n";
  }

  private static String replaceTable(String page, String table) {
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    if (begin < 0 || end < begin) {
      return page + "\n" + BEGIN + "\n" + table + END + "\n";
    }
    return page.substring(0, begin + BEGIN.length()) + "\n" + table + page.substring(end);
  }

  private static Path samplesRoot() {
    try {
      return Path.of(KServeSamplesCompatibilityTest.class.getResource("/kserve-samples").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path docsPage() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/compatibility.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "docs/compatibility.md not found above the working directory");
    }
    return dir.resolve("docs/compatibility.md");
  }
}
