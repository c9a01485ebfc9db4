package dev.kaskade.gateway.testing;

import static org.awaitility.Awaitility.await;

import dev.kaskade.events.ModelState;
import dev.kaskade.gateway.GatewayComponent;
import dev.kaskade.gateway.testing.LinearResponder.Behaviour;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A running gateway on a real broker with a real responder and a set of models:
 *
 * <ul>
 *   <li>{@code iris}: ready, linear model, metadata input FP32 [-1,4]
 *   <li>{@code stalled}: ready, never answers; {@code slow}: answers after 400 ms
 *   <li>{@code failing}: ready, answers with an INVALID_ARGUMENT error
 *   <li>{@code loading}: not ready; {@code flower}: canary 50% to a revision that is not ready
 *   <li>{@code explained}: has an explainer; {@code ghost}: ready but has no predictor topic
 *   <li>{@code pipeline}: an InferenceGraph, answered by the responder as if it were a model
 *   <li>{@code iris} in namespace {@code team} too, on revision {@link #TEAM_IRIS_REV}
 * </ul>
 */
public final class GatewayFixture implements AutoCloseable {
  public static final String NS = "default";
  public static final String IRIS_REV = "iris-predictor-0000aaaa";
  public static final String TEAM = "team";
  public static final String TEAM_IRIS_REV = "iris-predictor-0000team";
  public static final String FLOWER_OLD = "flower-predictor-00000old";
  public static final String FLOWER_NEW = "flower-predictor-00000new";
  public static final int MAX_INFLIGHT = 4;
  public static final int MAX_BODY = 64 * 1024;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public final Cluster cluster;
  public final ControlPublisher control;
  public final LinearResponder responder;
  public final GatewayComponent gateway;

  public GatewayFixture(Cluster cluster, Map<String, String> extraSettings) throws Exception {
    this.cluster = cluster;
    cluster.createPlatformTopics();
    control = new ControlPublisher(cluster.bootstrap(), cluster.registry(), cluster.topics());
    Set<String> topics = new HashSet<>();
    for (String model : new String[] {"iris", "stalled", "slow", "failing", "loading"}) {
      String rev = rev(model);
      cluster.createModelTopics(NS, model, rev);
      topics.add(cluster.topics().predictor(NS, model, rev));
      control.resource(Resources.isvc(NS, model, Resources.spec(rev).build()));
      ModelState state = model.equals("loading") ? ModelState.Loading : ModelState.Ready;
      control.status(Resources.predictorStatus(NS, model, rev, state, Resources.IRIS_METADATA));
    }
    cluster.createModelTopics(NS, "flower", FLOWER_OLD, FLOWER_NEW);
    topics.add(cluster.topics().predictor(NS, "flower", FLOWER_OLD));
    topics.add(cluster.topics().predictor(NS, "flower", FLOWER_NEW));
    control.resource(Resources.isvc(NS, "flower", Resources.canary(FLOWER_NEW, FLOWER_OLD, 50)));
    control.status(
        Resources.predictorStatus(
            NS, "flower", FLOWER_OLD, ModelState.Ready, Resources.IRIS_METADATA));
    control.status(Resources.predictorStatus(NS, "flower", FLOWER_NEW, ModelState.Loading, null));
    cluster.createModelTopics(NS, "explained", rev("explained"));
    topics.add(cluster.topics().explainRequests(NS, "explained"));
    control.resource(Resources.isvc(NS, "explained", Resources.withExplainer(rev("explained"))));
    control.status(
        Resources.predictorStatus(
            NS, "explained", rev("explained"), ModelState.Ready, Resources.IRIS_METADATA));

    cluster.createGraphTopics(NS, "pipeline");
    topics.add(cluster.topics().graphRequests(NS, "pipeline"));
    control.resource(Resources.graph(NS, "pipeline"));
    cluster.createModelTopics(TEAM, "iris", TEAM_IRIS_REV);
    topics.add(cluster.topics().predictor(TEAM, "iris", TEAM_IRIS_REV));
    control.resource(Resources.isvc(TEAM, "iris", Resources.spec(TEAM_IRIS_REV).build()));
    control.status(
        Resources.predictorStatus(
            TEAM, "iris", TEAM_IRIS_REV, ModelState.Ready, Resources.IRIS_METADATA));

    // "ghost" is ready but its predictor topic was never created: sends fail at the producer.
    control.resource(Resources.isvc(NS, "ghost", Resources.spec(rev("ghost")).build()));
    control.status(
        Resources.predictorStatus(
            NS, "ghost", rev("ghost"), ModelState.Ready, Resources.IRIS_METADATA));

    responder = new LinearResponder(cluster.bootstrap(), cluster.registry(), topics);
    responder.behave("stalled", Behaviour.STALL);
    responder.behave("slow", Behaviour.SLOW);
    responder.behave("failing", Behaviour.FAIL);
    responder.behave("explained", Behaviour.EXPLAIN);
    responder.start();

    Map<String, String> settings = new HashMap<>();
    settings.put("gateway.http.port", "0");
    settings.put("gateway.grpc.port", "0");
    settings.put("gateway.host", "127.0.0.1");
    settings.put("gateway.max.inflight", Integer.toString(MAX_INFLIGHT));
    settings.put("gateway.max.body.bytes", Integer.toString(MAX_BODY));
    settings.put("gateway.kafka.max.block.ms", "500");
    settings.putAll(extraSettings);
    Path dataDir = Files.createTempDirectory("gateway-it");
    gateway = new GatewayComponent(cluster.context(dataDir, settings));
    gateway.start();
    await().atMost(Duration.ofSeconds(30)).until(responder::isAssigned);
  }

  public static String rev(String model) {
    return model.equals("iris") ? IRIS_REV : model + "-predictor-0000bbbb";
  }

  public String url(String path) {
    return "http://127.0.0.1:" + gateway.httpPort() + path;
  }

  public HttpResponse<byte[]> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
  }

  public HttpResponse<byte[]> postJson(String path, String json, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  public HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  public static HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> sendAsync(
      HttpRequest request) {
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public void close() {
    gateway.close();
    responder.close();
    control.close();
    cluster.close();
  }
}
