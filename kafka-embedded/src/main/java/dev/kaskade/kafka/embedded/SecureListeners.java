package dev.kaskade.kafka.embedded;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Broker properties and user provisioning of a secured embedded broker. Clients get SASL_SSL with
 * SCRAM-SHA-512. SCRAM credentials live in the KRaft metadata: the admin's is written when the
 * storage is formatted, the others are created (or their passwords re-asserted) by the admin on
 * every start. The controller listener cannot use SCRAM (the controller needs the metadata to check
 * it), so it takes SASL_SSL with PLAIN and only the admin's password, as Kafka recommends.
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

  /** The StorageTool {@code --add-scram} argument that creates the admin at format time. */
  static String adminScramArgument(BrokerSecrets secrets) {
    return BrokerSecrets.MECHANISM
        + "=[name="
        + BrokerSecrets.ADMIN
        + ",password="
        + secrets.password(BrokerSecrets.ADMIN)
        + "]";
  }

  /** Creates or updates the SCRAM credentials of every user of the secrets, as the admin. */
  static void provisionUsers(BrokerSecrets secrets, String bootstrap, long timeoutMs)
      throws Exception {
    Map<String, Object> config = new HashMap<>(secrets.clientProperties(BrokerSecrets.ADMIN));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    try (Admin admin = Admin.create(config)) {
      List<UserScramCredentialAlteration> upserts = new ArrayList<>();
      secrets
          .users()
          .forEach(
              (user, password) ->
                  upserts.add(
                      new UserScramCredentialUpsertion(
                          user,
                          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                          password)));
      admin.alterUserScramCredentials(upserts).all().get(timeoutMs, TimeUnit.MILLISECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    for (String user : secrets.users().keySet()) {
      awaitLogin(secrets, user, bootstrap, deadline);
    }
  }

  /**
   * The broker learns new credentials from the metadata log a moment after the controller stored
   * them, and clients do not retry a failed login: wait until each user can log in.
   */
  private static void awaitLogin(
      BrokerSecrets secrets, String user, String bootstrap, long deadline) throws Exception {
    Map<String, Object> config = new HashMap<>(secrets.clientProperties(user));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    while (true) {
      try (Admin admin = Admin.create(config)) {
        admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
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
