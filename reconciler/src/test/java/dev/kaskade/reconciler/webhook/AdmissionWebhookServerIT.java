package dev.kaskade.reconciler.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.core.ManifestCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class AdmissionWebhookServerIT {

  private static HttpClient trusting(AdmissionWebhookServer server) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("webhook", WebhookTls.parse(server.certificatePem()));
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  @Test
  @SuppressWarnings("unchecked")
  void answersAdmissionReviewsOverHttpsWithASelfSignedCertificate() throws Exception {
    AdmissionReviews reviews = new AdmissionReviews(List::of);
    try (AdmissionWebhookServer server =
        new AdmissionWebhookServer(reviews, WebhookTls.selfSigned(List.of("localhost")), 0)
            .start()) {
      HttpClient http = trusting(server);
      String body =
          ManifestCodec.toJson(
              AdmissionReviewsTest.review(
                  Fixtures.manifestText("canary-v2.yaml").replace("20", "120"), "CREATE"));
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/validate"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, Object> answer = ManifestCodec.fromJson(response.body(), Map.class);
      Map<String, Object> result = (Map<String, Object>) answer.get("response");
      assertThat(result).containsEntry("uid", "1234-abcd").containsEntry("allowed", false);
      assertThat(((Map<String, Object>) result.get("status")).get("message").toString())
          .contains("spec.predictor.canaryTrafficPercent");

      HttpResponse<String> mutate =
          http.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/mutate"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          ManifestCodec.toJson(
                              AdmissionReviewsTest.review(
                                  Fixtures.manifestText("canary-v1.yaml"), "CREATE"))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(mutate.body()).contains("\"patchType\":\"JSONPatch\"");

      HttpResponse<String> garbage =
          http.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/validate"))
                  .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(garbage.statusCode()).isEqualTo(400);
    }
  }
}
