package dev.kaskade.workers.generation.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.generation.CancelSignal;
import dev.kaskade.workers.generation.GenerationException;
import dev.kaskade.workers.generation.GenerationOutcome;
import dev.kaskade.workers.generation.GenerationOutcome.FinishReason;
import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.GenerationSpec.Api;
import dev.kaskade.workers.generation.GenerationSpec.ChatMessage;
import dev.kaskade.workers.generation.TextGenerator;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upstream generator against a real HTTP server replaying vLLM-shaped streams. */
class OpenAiUpstreamGeneratorTest {
  private static ReplayOpenAiServer server;
  private static TextGenerator generator;

  @BeforeAll
  static void start() throws Exception {
    server = new ReplayOpenAiServer();
    generator = open(server.url(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    generator.close();
    server.close();
  }

  @Test
  void streamsAChatCompletionsDeltasAndReturnsTheServersFinishReasonAndUsage() throws Exception {
    Recorded r = run(chat("normal", 4), CancelSignal.NEVER);
    assertThat(r.pieces).containsExactly("Hél", "lo", " wör", "ld");
    assertThat(r.outcome).isEqualTo(new GenerationOutcome(FinishReason.LENGTH, 7, 4));
    assertThat(server.lastBody.get().getBoolean("stream")).isTrue();
    assertThat(server.lastBody.get().getString("model")).isEqualTo("normal");
    assertThat(server.lastBody.get().getValue("messages")).isNotNull();
  }

  @Test
  void streamsATextCompletionFromTheCompletionsEndpoint() throws Exception {
    GenerationSpec spec =
        new GenerationSpec(
            Api.COMPLETION, "normal", "Say", List.of(), 4, 0, 1, null, List.of(), null, 0);
    Recorded r = run(spec, CancelSignal.NEVER);
    assertThat(String.join("", r.pieces)).isEqualTo("Hello wörld".replace("e", "é"));
    assertThat(server.lastBody.get().getString("prompt")).isEqualTo("Say");
  }

  @Test
  void mapsTheModelNameAndSendsTheApiKeyFromTheEnvironmentVariableNamed() throws Exception {
    String path = System.getenv().containsKey("PATH") ? "PATH" : null;
    try (TextGenerator mapped =
        open(server.url(), Map.of("upstream-model", "normal", "upstream-api-key-env", path))) {
      GenerationOutcome outcome =
          mapped.generate(chat("whatever-the-caller-said", 4), (t, n) -> {}, CancelSignal.NEVER);
      assertThat(outcome.completionTokens()).isEqualTo(4);
    }
    assertThat(server.lastBody.get().getString("model")).isEqualTo("normal");
    assertThat(server.lastAuthorization.get()).isEqualTo("Bearer " + System.getenv("PATH"));
  }

  @Test
  void cancellingClosesTheConnectionAndReturnsWithinASlice() throws Exception {
    AtomicInteger got = new AtomicInteger();
    int closedBefore = server.closedStreams.get();
    long[] cancelledAt = {0};
    CancelSignal afterTwo =
        () -> {
          boolean c = got.get() >= 2;
          if (c && cancelledAt[0] == 0) {
            cancelledAt[0] = System.nanoTime();
          }
          return c;
        };
    GenerationOutcome outcome =
        generator.generate(chat("slow", 100), (t, n) -> got.addAndGet(n), afterTwo);
    long ms = (System.nanoTime() - cancelledAt[0]) / 1_000_000;
    assertThat(outcome.finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(outcome.completionTokens()).isEqualTo(2);
    assertThat(ms).isLessThan(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.closedStreams.get() > closedBefore);
  }

  @Test
  void theDeadlineEndsASlowStreamWith504() {
    GenerationSpec spec =
        new GenerationSpec(
            Api.CHAT,
            "slow",
            null,
            List.of(new ChatMessage("user", "hi")),
            100,
            0,
            1,
            null,
            List.of(),
            null,
            System.currentTimeMillis() + 200);
    assertThatThrownBy(() -> generator.generate(spec, (t, n) -> {}, CancelSignal.NEVER))
        .isInstanceOfSatisfying(
            GenerationException.class, e -> assertThat(e.status()).isEqualTo(504));
  }

  @Test
  void anErrorEventMidStreamFailsWithItsStatusAfterTheTextBeforeIt() {
    List<String> pieces = new ArrayList<>();
    assertThatThrownBy(
            () ->
                generator.generate(
                    chat("error-mid", 8), (t, n) -> pieces.add(t), CancelSignal.NEVER))
        .isInstanceOfSatisfying(
            GenerationException.class,
            e -> {
              assertThat(e.status()).isEqualTo(500);
              assertThat(e.getMessage()).isEqualTo("engine died");
            });
    assertThat(pieces).containsExactly("a", "b");
  }

  @Test
  void aFourHundredWithAnOpenAiErrorBodyKeepsItsStatusAndMessage() {
    assertThatThrownBy(
            () -> generator.generate(chat("bad-request", 8), (t, n) -> {}, CancelSignal.NEVER))
        .isInstanceOfSatisfying(
            GenerationException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.type()).isEqualTo("BadRequestError");
              assertThat(e.getMessage()).contains("maximum context length");
            });
  }

  @Test
  void anUnparsableAnswerOrEventIs502() {
    for (String scenario : List.of("html", "garbage")) {
      assertThatThrownBy(
              () -> generator.generate(chat(scenario, 8), (t, n) -> {}, CancelSignal.NEVER))
          .as(scenario)
          .isInstanceOfSatisfying(
              GenerationException.class, e -> assertThat(e.status()).isEqualTo(502));
    }
  }

  @Test
  void aConnectionDroppedMidStreamIs502() {
    assertThatThrownBy(
            () -> generator.generate(chat("disconnect", 8), (t, n) -> {}, CancelSignal.NEVER))
        .isInstanceOfSatisfying(
            GenerationException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.getMessage()).contains("before it finished");
            });
  }

  @Test
  void aServerThatRefusesConnectionsIs503AndNotReady() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (TextGenerator down = open("http://localhost:" + port, Map.of())) {
      assertThatThrownBy(() -> down.generate(chat("normal", 4), (t, n) -> {}, CancelSignal.NEVER))
          .isInstanceOfSatisfying(
              GenerationException.class, e -> assertThat(e.status()).isEqualTo(503));
      assertThat(down.ready()).isFalse();
    }
  }

  @Test
  void readinessFollowsTheUpstreamsHealth() {
    await().atMost(Duration.ofSeconds(5)).until(generator::ready);
    server.healthStatus.set(503);
    await().atMost(Duration.ofSeconds(5)).until(() -> !generator.ready());
    server.healthStatus.set(200);
    await().atMost(Duration.ofSeconds(5)).until(generator::ready);
  }

  private static TextGenerator open(String url, Map<String, String> extra) throws Exception {
    Map<String, String> parameters = new java.util.HashMap<>(extra);
    parameters.put("upstream-url", url);
    parameters.put("upstream-health-interval-ms", "50");
    ModelSource source = new ModelSource("chat", "1", Path.of("."), "huggingface", parameters);
    OpenAiUpstreamFactory factory = new OpenAiUpstreamFactory();
    assertThat(factory.accepts(source)).isTrue();
    return factory.open(source);
  }

  private static GenerationSpec chat(String scenario, int maxTokens) {
    return new GenerationSpec(
        Api.CHAT,
        scenario,
        null,
        List.of(new ChatMessage("user", "hi")),
        maxTokens,
        0,
        1,
        null,
        List.of(),
        null,
        0);
  }

  private static Recorded run(GenerationSpec spec, CancelSignal cancel) throws Exception {
    List<String> pieces = new ArrayList<>();
    GenerationOutcome outcome = generator.generate(spec, (t, n) -> pieces.add(t), cancel);
    return new Recorded(pieces, outcome);
  }

  private record Recorded(List<String> pieces, GenerationOutcome outcome) {}
}
