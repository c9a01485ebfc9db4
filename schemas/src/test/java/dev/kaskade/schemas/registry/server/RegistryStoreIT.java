package dev.kaskade.schemas.registry.server;

import static dev.kaskade.schemas.testing.RegistryFixtures.get;
import static dev.kaskade.schemas.testing.RegistryFixtures.post;
import static dev.kaskade.schemas.testing.RegistryFixtures.put;
import static dev.kaskade.schemas.testing.RegistryFixtures.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.testing.RegistryFixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** State lives in the Kafka store: it survives restarts and instances on one topic agree. */
class RegistryStoreIT {

  private static String schema(int n) {
    return "{\"type\":\"record\",\"name\":\"R"
        + n
        + "\",\"fields\":[{\"name\":\"f\",\"type\":\"long\"}]}";
  }

  private static int register(String url, String subject, String schema) {
    var answer = post(url + "/subjects/" + subject + "/versions", schemaBody(schema));
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    return answer.body().path("id").asInt();
  }

  @Test
  void keepsIdsVersionsAndConfigAcrossARestart() {
    String topic = RegistryFixtures.newStoreTopic();
    Map<String, Integer> ids = new HashMap<>();
    try (SchemaRegistryServer first = RegistryFixtures.startRegistry(topic)) {
      for (int n = 1; n <= 3; n++) {
        ids.put("s" + n, register(first.url(), "s" + n + "-value", schema(n)));
      }
      put(first.url() + "/config/s1-value", Map.of("compatibility", "FULL"));
    }

    try (SchemaRegistryServer second = RegistryFixtures.startRegistry(topic)) {
      for (int n = 1; n <= 3; n++) {
        var latest = get(second.url() + "/subjects/s" + n + "-value/versions/latest");
        assertThat(latest.body().path("id").asInt()).isEqualTo(ids.get("s" + n));
        assertThat(get(second.url() + "/schemas/ids/" + ids.get("s" + n)).status()).isEqualTo(200);
      }
      assertThat(get(second.url() + "/config/s1-value").body().path("compatibilityLevel").asText())
          .isEqualTo("FULL");
      int next = register(second.url(), "s4-value", schema(4));
      assertThat(next).isGreaterThan(ids.values().stream().mapToInt(i -> i).max().orElseThrow());
    }
  }

  @Test
  void twoInstancesOnOneTopicAgreeOnIdsEvenWhenRegisteringConcurrently() throws Exception {
    String topic = RegistryFixtures.newStoreTopic();
    try (SchemaRegistryServer a = RegistryFixtures.startRegistry(topic);
        SchemaRegistryServer b = RegistryFixtures.startRegistry(topic);
        ExecutorService pool = Executors.newFixedThreadPool(4)) {
      int first = register(a.url(), "shared-value", schema(100));
      assertThat(get(b.url() + "/schemas/ids/" + first).status())
          .as("b catches up when asked for an id it has not read yet")
          .isEqualTo(200);
      assertThat(register(b.url(), "shared-value", schema(100))).isEqualTo(first);

      List<Future<Integer>> results = new ArrayList<>();
      for (int n = 0; n < 12; n++) {
        String url = n % 2 == 0 ? a.url() : b.url();
        String subject = "race" + n + "-value";
        String schema = schema(n % 6);
        results.add(pool.submit(() -> register(url, subject, schema)));
      }
      Map<String, Integer> idBySchema = new HashMap<>();
      for (int n = 0; n < 12; n++) {
        int id = results.get(n).get();
        Integer previous = idBySchema.putIfAbsent(schema(n % 6), id);
        assertThat(previous == null ? id : previous).as("one id per schema").isEqualTo(id);
      }
      assertThat(idBySchema.values()).doesNotHaveDuplicates();
      for (int n = 0; n < 12; n++) {
        String path = "/subjects/race" + n + "-value/versions/latest";
        int viaA = get(a.url() + path).body().path("id").asInt();
        int viaB = get(b.url() + path).body().path("id").asInt();
        assertThat(viaA).isEqualTo(viaB).isEqualTo(idBySchema.get(schema(n % 6)));
      }
    }
  }
}
