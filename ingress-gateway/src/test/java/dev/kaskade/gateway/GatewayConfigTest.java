package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.testing.InMemorySchemaRegistry;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  private static KaskadeContext ctx(Map<String, String> settings) {
    return new KaskadeContext(
        "localhost:9092",
        new InMemorySchemaRegistry(),
        Topics.withDefaultPrefix(),
        TopicSettings.standalone(),
        new TopicProvisioner(null, null, (short) 1),
        Path.of("."),
        settings);
  }

  @Test
  void defaultsFollowKserve() {
    GatewayConfig config = GatewayConfig.from(ctx(Map.of()));

    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.grpcPort()).isEqualTo(8081);
    assertThat(config.maxGrpcMessageBytes()).isEqualTo(8_388_608);
    assertThat(config.maxBodyBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(config.maxInflight()).isEqualTo(10_000);
    assertThat(config.defaultTimeoutMs()).isEqualTo(60_000);
    assertThat(config.namespace()).isEqualTo("default");
  }

  @Test
  void everyLimitHasADocumentedDefault() {
    GatewayConfig config = GatewayConfig.from(ctx(Map.of()));

    assertThat(config.limits())
        .isEqualTo(new GatewayConfig.RequestLimits(4_194_304, 16, 256, 16 * 1024 * 1024 - 65536));
    assertThat(config.connections()).isEqualTo(new GatewayConfig.Connections(300_000, 128));
    assertThat(GatewayConfig.KEYS)
        .extracting(GatewayConfig.Key::name)
        .contains(
            "gateway.max.json.body.bytes",
            "gateway.max.tensor.rank",
            "gateway.max.request.id.length",
            "gateway.max.record.bytes",
            "gateway.idle.timeout.ms",
            "gateway.http2.max.concurrent.streams");
  }

  @Test
  void theRecordLimitNeverExceedsWhatTheTopicsAccept() {
    GatewayConfig config =
        GatewayConfig.from(ctx(Map.of("gateway.max.record.bytes", "2000000000")));

    assertThat(config.limits().maxRecordBytes())
        .isEqualTo(
            TopicSettings.standalone().maxMessageBytes() - GatewayConfig.RECORD_OVERHEAD_BYTES);
  }

  @Test
  void badValuesFailNamingTheKey() {
    assertThatThrownBy(() -> GatewayConfig.from(ctx(Map.of("gateway.http.port", "x"))))
        .hasMessageContaining("gateway.http.port");
    assertThatThrownBy(() -> GatewayConfig.from(ctx(Map.of("gateway.max.inflight", "0"))))
        .hasMessageContaining("gateway.max.inflight");
    assertThatThrownBy(() -> GatewayConfig.from(ctx(Map.of("gateway.grpc.port", "70000"))))
        .hasMessageContaining("gateway.grpc.port");
  }

  @Test
  void theLauncherFindsTheGatewayFactory() {
    var factories =
        java.util.ServiceLoader.load(dev.kaskade.schemas.runtime.ComponentFactory.class).stream()
            .map(p -> p.type().getName())
            .toList();

    assertThat(factories).contains(GatewayComponentFactory.class.getName());
  }
}
