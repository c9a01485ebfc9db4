package dev.kaskade.kafka.embedded;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Broker properties and user provisioning of a secured embedded broker. Clients get SASL_SSL with
 * SCRAM-SHA-512. SCRAM credentials live in the KRaft metadata, which the controller needs before
 * anyone can log in with them, so the controller listener uses SASL_SSL with PLAIN (the admin's
 * password from the secrets, as Kafka recommends for KRaft controllers) and the users are created
 * (or their passwords re-asserted) through it on every start: that also secures a data dir first
 * created without {@code --secure}.
 */
final class SecureListeners {
  static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
  private static final int SCRAM_ITERATIONS = 8192;

  private SecureListeners() {}

  static void apply(Properties props, BrokerSecrets secrets, int port, int controllerPort) {
    String admin = BrokerSecrets.ADMIN;
    String adminPassword = secrets.password(admin);
    props.put(
        "listeners", "SASL_SSL://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    props.put("advertised.listeners", "SASL_SSL://localhost:" + port);
    props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SASL_SSL");
    props.put("inter.broker.listener.name", "SASL_SSL");
    props.put("sasl.enabled.mechanisms", BrokerSecrets.MECHANISM);
    props.put("sasl.mechanism.inter.broker.protocol", BrokerSecrets.MECHANISM);
    props.put(
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        BrokerSecrets.scramJaas(admin, adminPassword));
    props.put("sasl.mechanism.controller.protocol", "PLAIN");
    props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    props.put("listener.name.controller.plain.sasl.jaas.config", plainJaas(admin, adminPassword));
    props.put("ssl.keystore.type", "PKCS12");
    props.put("ssl.keystore.location", secrets.keystoreFile().toString());
    props.put("ssl.keystore.password", secrets.keystorePassword());
    props.put("ssl.key.password", secrets.keystorePassword());
    props.put("ssl.truststore.type", "PEM");
    props.put("ssl.truststore.location", secrets.caFile().toString());
    props.put("authorizer.class.name", AUTHORIZER);
    props.put("super.users", "User:" + admin);
    props.put("allow.everyone.if.no.acl.found", "false");
  }

  /**
   * Creates or updates the SCRAM credentials of every user of the secrets through the controller
   * listener, then waits until the broker accepts the admin's login.
   */
  static void provisionUsers(BrokerSecrets secrets, int controllerPort, long timeoutMs)
      throws Exception {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, "localhost:" + controllerPort);
    config.put("security.protocol", "SASL_SSL");
    config.put("sasl.mechanism", "PLAIN");
    config.put(
        "sasl.jaas.config",
        plainJaas(BrokerSecrets.ADMIN, secrets.password(BrokerSecrets.ADMIN))
            .replaceAll(" user_[^ ;]+", ""));
    config.put("ssl.truststore.type", "PEM");
    config.put("ssl.truststore.location", secrets.caFile().toString());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    try (Admin admin = Admin.create(config)) {
      var upserts =
          secrets.users().entrySet().stream()
              .map(
                  user ->
                      (org.apache.kafka.clients.admin.UserScramCredentialAlteration)
                          new UserScramCredentialUpsertion(
                              user.getKey(),
                              new ScramCredentialInfo(
                                  ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                              user.getValue()))
              .toList();
      admin.alterUserScramCredentials(upserts).all().get(timeoutMs, TimeUnit.MILLISECONDS);
    }
  }

  private static String plainJaas(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\" user_"
        + user
        + "=\""
        + password
        + "\";";
  }
}
