package dev.kaskade.workers.worker;

import dev.kaskade.events.GenerationApi;
import dev.kaskade.events.GenerationMessage;
import dev.kaskade.events.GenerationRequest;
import dev.kaskade.events.GenerationResult;
import dev.kaskade.events.GenerationUsage;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.workers.generation.CompletionBody;
import dev.kaskade.workers.generation.DeltaCoalescer;
import dev.kaskade.workers.generation.GenerationException;
import dev.kaskade.workers.generation.GenerationOutcome;
import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.GenerativeModel;
import dev.kaskade.workers.worker.ResponseWriter.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Runs one OpenAI generation request on a generation thread: one generate call per choice (seed +
 * i), stream events when asked, then the assembled answer (InferenceResponse with a
 * GenerationResult) to the responses topic — and to the caller's reply topic when it did not
 * stream. Returns the acknowledgements its offset commit waits for.
 */
final class GenerationJob {
  private final WorkerEnv env;
  private final GenerationEnv gen;
  private final ServedRevision served;
  private final String responsesTopic;
  private final String chunksTopic;
  private final BooleanSupplier closing;

  GenerationJob(
      WorkerEnv env,
      GenerationEnv gen,
      ServedRevision served,
      String responsesTopic,
      String chunksTopic,
      BooleanSupplier closing) {
    this.env = env;
    this.gen = gen;
    this.served = served;
    this.responsesTopic = responsesTopic;
    this.chunksTopic = chunksTopic;
    this.closing = closing;
  }

  List<Future<RecordMetadata>> run(Pending p, GenerativeModel model) {
    GenerationRequest request = p.request().getGeneration();
    Caller caller = p.caller();
    long start = System.currentTimeMillis();
    EventWriter events = request.getStream() ? events(p) : null;
    List<CompletionBody.Choice> choices = new ArrayList<>();
    int promptTokens = 0;
    int completionTokens = 0;
    long firstToken = 0;
    try {
      model.generator().check(spec(request, caller, p.deadlineMs(), 0));
      if (events != null) {
        events.start();
      }
      for (int i = 0; i < Math.max(1, request.getN()); i++) {
        int choice = i;
        long[] first = {0};
        DeltaCoalescer sink =
            new DeltaCoalescer(
                (text, tokens) -> {
                  if (first[0] == 0) {
                    first[0] = System.currentTimeMillis();
                  }
                  if (events != null) {
                    events.delta(choice, text, tokens);
                  }
                },
                gen.coalesceMs(),
                System::nanoTime);
        GenerationOutcome outcome =
            model
                .generator()
                .generate(spec(request, caller, p.deadlineMs(), i), sink, () -> stop(p));
        sink.flush();
        if (closing.getAsBoolean()) {
          // Stopped, not finished: no FINISH event, or a reader would end the choice that the
          // replica re-running the request (a new attempt) is about to continue.
          return List.of();
        }
        if (firstToken == 0) {
          firstToken = first[0];
        }
        if (outcome.finishReason() == GenerationOutcome.FinishReason.CANCELLED
            && p.expired(System.currentTimeMillis())) {
          throw new KaskadeException(Reason.DEADLINE_EXCEEDED, "deadline passed while generating");
        }
        choices.add(new CompletionBody.Choice(sink.text(), outcome.finishReason().wire()));
        promptTokens = outcome.promptTokens();
        completionTokens += outcome.completionTokens();
        if (events != null) {
          events.finish(i, outcome.finishReason().wire());
        }
        if (outcome.finishReason() == GenerationOutcome.FinishReason.CANCELLED) {
          break;
        }
      }
    } catch (GenerationException e) {
      return failed(p, events, new KaskadeException(reasonOf(e.status()), e.getMessage()));
    } catch (KaskadeException e) {
      return failed(p, events, e);
    } catch (RuntimeException e) {
      return failed(p, events, new KaskadeException(Reason.INTERNAL, "generation failed: " + e));
    }
    if (closing.getAsBoolean()) {
      return List.of(); // stopped: unanswered and uncommitted, a replica re-runs it
    }
    GenerationUsage usage =
        new GenerationUsage(promptTokens, completionTokens, promptTokens + completionTokens);
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    if (events != null) {
      events.usage(usage);
      acks.addAll(events.lastAcks());
    }
    long end = System.currentTimeMillis();
    GenerationResult result =
        GenerationResult.newBuilder()
            .setBody(
                CompletionBody.of(
                        request.getApi(),
                        caller.requestId(),
                        p.request().getCreatedEpochMs() / 1000,
                        caller.model(),
                        choices,
                        promptTokens,
                        completionTokens)
                    .encode())
            .setUsage(usage)
            .setFinishReasons(choices.stream().map(CompletionBody.Choice::finishReason).toList())
            .setQueueTimeMs(Math.max(0, start - p.record().timestamp()))
            .setTimeToFirstTokenMs(firstToken == 0 ? 0 : firstToken - start)
            .setTotalTimeMs(end - start)
            .setGenerator(model.generator().name())
            .build();
    InferenceResponse response =
        ResponseWriter.success(
            caller,
            served.revision(),
            List.of(),
            java.util.Map.of(),
            1,
            result.getQueueTimeMs() * 1000,
            (end - start) * 1000);
    response.setGeneration(result);
    env.metrics()
        .success(
            caller.model(), served.revision(), response.getQueueTimeUs(), (end - start) * 1000);
    acks.addAll(env.responses().send(responsesTopic, answerCaller(p, request), response));
    return acks;
  }

  private boolean stop(Pending p) {
    return closing.getAsBoolean()
        || p.expired(System.currentTimeMillis())
        || gen.cancels() != null && gen.cancels().cancelled(p.caller().requestId());
  }

  private GenerationSpec spec(GenerationRequest r, Caller caller, long deadline, int choice) {
    int maxTokens =
        r.getMaxTokens() == null
            ? gen.defaultMaxTokens()
            : Math.min(Math.max(0, r.getMaxTokens()), gen.maxTokensLimit());
    List<GenerationSpec.ChatMessage> messages = new ArrayList<>();
    for (GenerationMessage m : r.getMessages()) {
      messages.add(new GenerationSpec.ChatMessage(m.getRole(), m.getContent()));
    }
    return new GenerationSpec(
        r.getApi() == GenerationApi.CHAT ? GenerationSpec.Api.CHAT : GenerationSpec.Api.COMPLETION,
        caller.model(),
        r.getPrompt(),
        messages,
        maxTokens,
        r.getTemperature() == null ? 1.0 : r.getTemperature(),
        r.getTopP() == null ? 1.0 : r.getTopP(),
        r.getSeed() == null ? null : r.getSeed() + choice,
        r.getStop(),
        r.getBody(),
        deadline);
  }

  /** Streams answer on the caller's chunks topic (if it named a legal one) and the isvc's. */
  private EventWriter events(Pending p) {
    List<String> topics = new ArrayList<>();
    String streamTo = KaskadeHeaders.get(p.caller().headers(), KaskadeHeaders.STREAM_TO);
    if (streamTo != null && env.ctx().topics().isGatewayChunksTopic(streamTo)) {
      topics.add(streamTo);
    }
    topics.add(chunksTopic);
    Headers headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.REQUEST_ID, p.caller().requestId());
    String correlation = KaskadeHeaders.get(p.caller().headers(), KaskadeHeaders.CORRELATION_ID);
    if (correlation != null) {
      KaskadeHeaders.put(headers, KaskadeHeaders.CORRELATION_ID, correlation);
    }
    String attempt = env.instance() + "-" + Long.toHexString(System.nanoTime());
    return new EventWriter(
        env.producer(),
        gen.events(),
        topics,
        headers,
        p.caller().requestId(),
        attempt,
        p.caller().model(),
        served.revision());
  }

  /** A streaming caller reads the events, not the reply: the final answer goes to responses. */
  private static Caller answerCaller(Pending p, GenerationRequest request) {
    Caller caller = p.caller();
    if (!request.getStream()) {
      return caller;
    }
    Headers headers = new RecordHeaders(caller.headers().toArray());
    headers.remove(KaskadeHeaders.REPLY_TO);
    return new Caller(caller.requestId(), caller.model(), caller.namespace(), headers);
  }

  private List<Future<RecordMetadata>> failed(
      Pending p, EventWriter events, KaskadeException error) {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    if (events != null) {
      events.error(error.reason().name(), error.getMessage());
      acks.addAll(events.lastAcks());
    }
    env.metrics().failure(p.caller().model(), served.revision(), error.reason().name());
    acks.addAll(
        env.responses()
            .send(
                responsesTopic,
                answerCaller(p, p.request().getGeneration()),
                ResponseWriter.failure(p.caller(), served.revision(), error)));
    return acks;
  }

  static Reason reasonOf(int status) {
    return switch (status) {
      case 400, 422 -> Reason.INVALID_ARGUMENT;
      case 404 -> Reason.NOT_FOUND;
      case 413 -> Reason.PAYLOAD_TOO_LARGE;
      case 429 -> Reason.RESOURCE_EXHAUSTED;
      case 501 -> Reason.UNIMPLEMENTED;
      case 502, 503 -> Reason.UNAVAILABLE;
      case 504 -> Reason.DEADLINE_EXCEEDED;
      default -> Reason.INTERNAL;
    };
  }
}
