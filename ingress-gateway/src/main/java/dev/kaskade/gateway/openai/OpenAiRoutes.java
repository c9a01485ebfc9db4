package dev.kaskade.gateway.openai;

import dev.kaskade.events.GenerationApi;
import dev.kaskade.events.GenerationRequest;
import dev.kaskade.events.GenerationResult;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.gateway.GatewayServices;
import dev.kaskade.gateway.bridge.GenerationStreams;
import dev.kaskade.gateway.bridge.InferenceDispatcher;
import dev.kaskade.gateway.http.HostRoutes;
import dev.kaskade.gateway.http.HttpApi;
import dev.kaskade.gateway.route.ModelMetadata;
import dev.kaskade.gateway.route.Route;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/**
 * KServe's OpenAI-compatible endpoints: {@code /openai/v1/chat/completions}, {@code /completions},
 * {@code /embeddings}, {@code /models}, {@code /models/{model}}; the POST routes also without the
 * {@code /openai} prefix ({@code GET /v1/models…} stays KServe V1). Generation goes to the model's
 * workers as an InferenceRequest carrying a GenerationRequest; embeddings become a V2 call on an
 * encoder model.
 */
public final class OpenAiRoutes {
  public static final String PREFIX = "/openai/v1";
  public static final String ALIAS = "/v1";
  static final String PROTOCOL = "openai";
  private static final String GENERATIVE_PLATFORM = "kaskade_generative";

  private final GatewayServices services;
  private final GenerationStreams streams;
  private final OpenAiMetrics metrics;
  private final long heartbeatMs;
  private final long createdSeconds = System.currentTimeMillis() / 1000;

  public OpenAiRoutes(GatewayServices services, GenerationStreams streams, long heartbeatMs) {
    this.services = services;
    this.streams = streams;
    this.metrics = new OpenAiMetrics(services.metrics().registry());
    this.heartbeatMs = heartbeatMs;
  }

  public void mount(Router router) {
    for (String prefix : List.of(PREFIX, ALIAS)) {
      router.post(prefix + "/chat/completions").handler(rc -> generate(rc, GenerationApi.CHAT));
      router.post(prefix + "/completions").handler(rc -> generate(rc, GenerationApi.COMPLETION));
      router.post(prefix + "/embeddings").handler(this::embeddings);
    }
    router.get(PREFIX + "/models").handler(this::list);
    router.get(PREFIX + "/models/:model").handler(this::retrieve);
  }

  private void list(RoutingContext rc) {
    JsonArray data = new JsonArray();
    for (String name : services.table().modelNames(HostRoutes.namespace(rc, services))) {
      data.add(model(name));
    }
    HttpApi.json(rc, 200, new JsonObject().put("object", "list").put("data", data));
  }

  private void retrieve(RoutingContext rc) {
    String name = rc.pathParam("model");
    if (!services.table().exists(HostRoutes.namespace(rc, services), name)) {
      error(rc.response(), OpenAiError.modelNotFound(name));
      return;
    }
    HttpApi.json(rc, 200, model(name));
  }

  private JsonObject model(String name) {
    return new JsonObject()
        .put("id", name)
        .put("object", "model")
        .put("created", createdSeconds)
        .put("owned_by", "kaskade");
  }

  private void generate(RoutingContext rc, GenerationApi api) {
    String trace = HttpApi.traceparent(rc);
    try {
      JsonObject body = OpenAiRequests.json(rc.body().buffer());
      String model = OpenAiRequests.model(body);
      Route route =
          route(rc, model, true, api == GenerationApi.CHAT ? "Chat Completions" : "Completions");
      GenerationRequest request = OpenAiRequests.parse(body, api);
      String id = UUID.randomUUID().toString();
      long created = System.currentTimeMillis();
      var options =
          new InferenceDispatcher.Options(
              PROTOCOL, null, HttpApi.timeoutMs(rc), trace, HttpApi.subject(rc));
      if (request.getStream()) {
        stream(rc, route, id, request, options, created);
      } else {
        answer(
            rc,
            model,
            id,
            services.dispatcher().generate(route, id, request, options, created, null));
      }
    } catch (RuntimeException e) {
      error(rc.response(), OpenAiError.of(e));
    }
  }

  /** Checks the model exists, can serve and is of the right kind; returns its route. */
  private Route route(RoutingContext rc, String model, boolean generative, String apiName) {
    String ns = HostRoutes.namespace(rc, services);
    if (!services.table().exists(ns, model)) {
      throw OpenAiError.modelNotFound(model);
    }
    services.dispatcher().checkServable(ns, model, null);
    ModelMetadata metadata = services.table().metadata(ns, model, null);
    boolean isGenerative = metadata != null && GENERATIVE_PLATFORM.equals(metadata.platform());
    if (isGenerative != generative) {
      throw OpenAiError.invalid(
          "model", "Model " + model + " does not support the " + apiName + " API.");
    }
    return services.dispatcher().route(ns, model, UUID.randomUUID().toString(), null);
  }

  private void answer(RoutingContext rc, String model, String id, Future<InferenceResponse> reply) {
    rc.response()
        .closeHandler(
            v -> {
              if (!rc.response().ended()) {
                // the caller gave up waiting: stop the generation instead of finishing it unread
                metrics.cancelled(model, "client_disconnected");
                if (streams != null) {
                  streams.cancel(id, "client_disconnected");
                }
              }
            });
    reply.onComplete(
        ar -> {
          if (ar.failed()) {
            error(rc.response(), OpenAiError.of(ar.cause()));
            return;
          }
          GenerationResult result = ar.result().getGeneration();
          if (result == null) {
            error(rc.response(), OpenAiError.of(new IllegalStateException("no generation result")));
            return;
          }
          metrics.tokens(
              model, result.getUsage().getPromptTokens(), result.getUsage().getCompletionTokens());
          metrics.queueTime(model, result.getQueueTimeMs() * 1_000_000);
          HttpServerResponse response = rc.response();
          if (!response.closed() && !response.ended()) {
            response
                .setStatusCode(200)
                .putHeader("content-type", "application/json")
                .end(result.getBody());
          }
        });
  }

  private void stream(
      RoutingContext rc,
      Route route,
      String id,
      GenerationRequest request,
      InferenceDispatcher.Options options,
      long created) {
    if (streams == null) {
      throw new OpenAiError(
          501, "server_error", "Streaming is not enabled on this gateway.", "stream", null);
    }
    String model = route.model();
    SseChunks chunks =
        new SseChunks(
            request.getApi(),
            (request.getApi() == GenerationApi.CHAT ? "chatcmpl-" : "cmpl-") + id,
            created / 1000,
            model);
    OpenAiStream stream =
        new OpenAiStream(
            rc.vertx(),
            rc.response(),
            chunks,
            request,
            metrics,
            model,
            heartbeatMs,
            new OpenAiStream.Hooks() {
              @Override
              public void ended() {
                streams.unregister(id);
                services.dispatcher().release(id);
              }

              @Override
              public void cancel(String reason) {
                streams.cancel(id, reason);
              }
            });
    streams.register(id, stream::onEvent);
    services
        .dispatcher()
        .generate(route, id, request, options, created, streams.chunksTopic())
        .onFailure(stream::fail);
  }

  private void embeddings(RoutingContext rc) {
    String trace = HttpApi.traceparent(rc);
    try {
      JsonObject body = OpenAiRequests.json(rc.body().buffer());
      Embeddings.Request request = Embeddings.parse(body);
      Route route = route(rc, request.model(), false, "Embeddings");
      String input =
          route.metadata().inputs().isEmpty() ? "input" : route.metadata().inputs().get(0).name();
      String id = UUID.randomUUID().toString();
      var call =
          new InferenceDispatcher.Request(
              id,
              List.of(Embeddings.input(input, request.texts())),
              null,
              java.util.Map.of(),
              List.of());
      var options =
          new InferenceDispatcher.Options(
              "v2", null, HttpApi.timeoutMs(rc), trace, HttpApi.subject(rc));
      services
          .dispatcher()
          .send(route, call, options)
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  error(rc.response(), OpenAiError.of(ar.cause()));
                  return;
                }
                try {
                  JsonObject out =
                      Embeddings.response(request.model(), request, ar.result().getOutputs());
                  long tokens = out.getJsonObject("usage").getLong("prompt_tokens");
                  metrics.tokens(request.model(), (int) tokens, 0);
                  HttpApi.json(rc, 200, out);
                } catch (RuntimeException e) {
                  error(rc.response(), OpenAiError.of(e));
                }
              });
    } catch (RuntimeException e) {
      error(rc.response(), OpenAiError.of(e));
    }
  }

  static void error(HttpServerResponse response, OpenAiError error) {
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    response
        .setStatusCode(error.status())
        .putHeader("content-type", "application/json")
        .end(error.body().toBuffer());
  }
}
