package dev.kaskade.schemas.registry.server;

import static dev.kaskade.schemas.testing.RegistryFixtures.delete;
import static dev.kaskade.schemas.testing.RegistryFixtures.get;
import static dev.kaskade.schemas.testing.RegistryFixtures.post;
import static dev.kaskade.schemas.testing.RegistryFixtures.put;
import static dev.kaskade.schemas.testing.RegistryFixtures.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.testing.RegistryFixtures;
import dev.kaskade.schemas.testing.RegistryFixtures.Answer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The served Confluent REST subset, asserted with raw HTTP: statuses and error bodies. */
class SchemaRegistryServerIT {
  static final String V1 =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"}]}";
  static final String V2_WITH_DEFAULT =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"qty\",\"type\":\"int\",\"default\":1}]}";
  static final String V2_REQUIRED_FIELD =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"qty\",\"type\":\"int\"}]}";

  private static SchemaRegistryServer server;
  private static String url;

  @BeforeAll
  static void start() {
    server = RegistryFixtures.startRegistry();
    url = server.url();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void registersAndServesSchemasByIdSubjectAndVersion() {
    Answer registered = post(url + "/subjects/orders-value/versions", schemaBody(V1));
    assertThat(registered.status()).isEqualTo(200);
    int id = registered.body().path("id").asInt();
    assertThat(id).isPositive();

    assertThat(
            post(url + "/subjects/orders-value/versions", schemaBody(V1)).body().path("id").asInt())
        .as("identical schema, same subject")
        .isEqualTo(id);
    assertThat(
            post(url + "/subjects/orders-copy-value/versions", schemaBody(V1))
                .body()
                .path("id")
                .asInt())
        .as("identical schema, other subject: same global id")
        .isEqualTo(id);

    assertThat(get(url + "/schemas/ids/" + id).body().path("schema").asText())
        .contains("\"name\":\"Order\"");
    assertThat(get(url + "/subjects").body())
        .extracting(Object::toString)
        .asString()
        .contains("orders-value", "orders-copy-value");
    assertThat(get(url + "/subjects/orders-value/versions").body().toString()).isEqualTo("[1]");
    Answer latest = get(url + "/subjects/orders-value/versions/latest");
    assertThat(latest.body().path("subject").asText()).isEqualTo("orders-value");
    assertThat(latest.body().path("version").asInt()).isEqualTo(1);
    assertThat(latest.body().path("id").asInt()).isEqualTo(id);
    assertThat(get(url + "/subjects/orders-value/versions/1").body()).isEqualTo(latest.body());
    assertThat(post(url + "/subjects/orders-value", schemaBody(V1)).body().path("version").asInt())
        .isEqualTo(1);
  }

  @Test
  void acceptsACompatibleEvolutionAndRejectsAnIncompatibleOneWith409() {
    post(url + "/subjects/evolve-value/versions", schemaBody(V1));

    Answer check =
        post(
            url + "/compatibility/subjects/evolve-value/versions/latest",
            schemaBody(V2_REQUIRED_FIELD));
    assertThat(check.status()).isEqualTo(200);
    assertThat(check.body().path("is_compatible").asBoolean()).isFalse();
    assertThat(
            post(
                    url + "/compatibility/subjects/evolve-value/versions/latest",
                    schemaBody(V2_WITH_DEFAULT))
                .body()
                .path("is_compatible")
                .asBoolean())
        .isTrue();

    Answer rejected = post(url + "/subjects/evolve-value/versions", schemaBody(V2_REQUIRED_FIELD));
    assertThat(rejected.status()).isEqualTo(409);
    assertThat(rejected.errorCode()).isEqualTo(409);
    assertThat(rejected.body().path("message").asText()).contains("incompatible");

    Answer accepted = post(url + "/subjects/evolve-value/versions", schemaBody(V2_WITH_DEFAULT));
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(get(url + "/subjects/evolve-value/versions").body().toString()).isEqualTo("[1,2]");
  }

  @Test
  void perSubjectCompatibilityOverridesTheGlobalDefault() {
    assertThat(get(url + "/config").body().path("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");
    post(url + "/subjects/free-value/versions", schemaBody(V1));

    Answer unset = get(url + "/config/free-value");
    assertThat(unset.status()).isEqualTo(404);
    assertThat(unset.errorCode()).isEqualTo(40408);
    assertThat(
            get(url + "/config/free-value?defaultToGlobal=true")
                .body()
                .path("compatibilityLevel")
                .asText())
        .isEqualTo("BACKWARD");

    Answer set = put(url + "/config/free-value", Map.of("compatibility", "NONE"));
    assertThat(set.body().path("compatibility").asText()).isEqualTo("NONE");
    assertThat(get(url + "/config/free-value").body().path("compatibilityLevel").asText())
        .isEqualTo("NONE");
    assertThat(post(url + "/subjects/free-value/versions", schemaBody(V2_REQUIRED_FIELD)).status())
        .isEqualTo(200);
  }

  @Test
  void answersConfluentErrorCodesForMissingThings() {
    assertError(get(url + "/subjects/nobody-value/versions"), 404, 40401);
    assertError(get(url + "/subjects/nobody-value/versions/latest"), 404, 40401);
    post(url + "/subjects/few-value/versions", schemaBody(V1));
    assertError(get(url + "/subjects/few-value/versions/9"), 404, 40402);
    assertError(get(url + "/schemas/ids/987654"), 404, 40403);
    assertError(post(url + "/subjects/few-value", schemaBody(V2_WITH_DEFAULT)), 404, 40403);
    assertError(get(url + "/subjects/few-value/versions/zero"), 422, 42202);
  }

  @Test
  void answersConfluentErrorCodesForInvalidInput() {
    assertError(
        post(url + "/subjects/bad-value/versions", schemaBody("{\"type\":\"recrod\"}")),
        422,
        42201);
    assertError(post(url + "/subjects/bad-value/versions", Map.of("nothing", "here")), 422, 42201);
    assertError(put(url + "/config", Map.of("compatibility", "SOMETIMES")), 422, 42203);
    assertError(put(url + "/config/bad-value", Map.of("compatibility", "SOMETIMES")), 422, 42203);
  }

  @Test
  void softDeletedSubjectDisappearsButItsIdsStillResolve() {
    int id =
        post(url + "/subjects/gone-value/versions", schemaBody(V2_WITH_DEFAULT))
            .body()
            .path("id")
            .asInt();

    Answer deleted = delete(url + "/subjects/gone-value");

    assertThat(deleted.body().toString()).isEqualTo("[1]");
    assertThat(get(url + "/subjects").body().toString()).doesNotContain("gone-value");
    assertError(get(url + "/subjects/gone-value/versions"), 404, 40401);
    assertError(delete(url + "/subjects/gone-value"), 404, 40401);
    assertThat(get(url + "/schemas/ids/" + id).status()).isEqualTo(200);
    Answer again = post(url + "/subjects/gone-value/versions", schemaBody(V2_WITH_DEFAULT));
    assertThat(again.body().path("id").asInt()).isEqualTo(id);
    assertThat(get(url + "/subjects/gone-value/versions").body().toString()).isEqualTo("[2]");
  }

  @Test
  void answersStoreErrorsWith50001WhenKafkaCannotBeReached() {
    try (SchemaRegistryServer broken = RegistryFixtures.startRegistry()) {
      broken.store().close();

      Answer answer = post(broken.url() + "/subjects/x-value/versions", schemaBody(V1));

      assertThat(answer.status()).isEqualTo(500);
      assertThat(answer.errorCode()).isEqualTo(50001);
    }
  }

  private static void assertError(Answer answer, int status, int errorCode) {
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
    assertThat(answer.errorCode()).as(answer.body().toString()).isEqualTo(errorCode);
    assertThat(answer.body().path("message").asText()).isNotBlank();
  }
}
