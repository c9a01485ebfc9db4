package dev.kaskade.cli;

import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import dev.kaskade.sink.AuditCommands;
import dev.kaskade.sink.replay.AuditReplayer;
import dev.kaskade.sink.sign.KafkaAnchors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaskade audit verify|query|replay|delete}: the audit store (works with up stopped). */
@Command(
    name = "audit",
    description = "Query, verify and replay the tamper-evident payload audit.",
    subcommands = {
      AuditCommand.Verify.class,
      AuditCommand.Query.class,
      AuditCommand.Replay.class,
      AuditCommand.Delete.class
    })
final class AuditCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Which store: {@code --store} or {@code <data-dir>/audit}. */
  static final class StoreOption {
    @Mixin DataDirOption dataDir;

    @Option(
        names = "--store",
        paramLabel = "PATH|s3://bucket/prefix",
        description = "Audit store (default: <data-dir>/audit). S3 settings from AUDIT_S3_* env.")
    String store;

    AuditCommands.StoreOptions options() {
      return new AuditCommands.StoreOptions(dataDir.dataDir(), store, s3Settings());
    }

    private static Map<String, String> s3Settings() {
      Map<String, String> settings = new java.util.HashMap<>();
      putEnv(settings, "audit.s3.endpoint", "AUDIT_S3_ENDPOINT");
      putEnv(settings, "audit.s3.region", "AUDIT_S3_REGION");
      putEnv(settings, "audit.s3.access-key", "AWS_ACCESS_KEY_ID");
      putEnv(settings, "audit.s3.secret-key", "AWS_SECRET_ACCESS_KEY");
      putEnv(settings, "audit.s3.path-style", "AUDIT_S3_PATH_STYLE");
      return settings;
    }

    private static void putEnv(Map<String, String> settings, String key, String env) {
      String value = System.getenv(env);
      if (value != null && !value.isBlank()) {
        settings.put(key, value);
      }
    }
  }

  /** Which recorded traffic: a model, optionally a namespace and a time range. */
  static final class Selection {
    @Option(names = "--model", required = true)
    String model;

    @Option(names = "--namespace")
    String namespace;

    @Option(names = "--from", description = "ISO-8601 instant or relative (-1h).")
    String from;

    @Option(names = "--to")
    String to;
  }

  @Command(
      name = "verify",
      description = {
        "Walk the hash chains, check the signed heads and the anchors on Kafka;"
            + " exit non-zero naming the first broken link."
      })
  static final class Verify implements Callable<Integer> {
    @Mixin StoreOption store;

    @Option(names = "--from", description = "ISO-8601 instant or relative (-1h).")
    String from;

    @Option(names = "--to")
    String to;

    @Option(
        names = "--public-key",
        paramLabel = "FILE",
        description =
            "The audit sink's Ed25519 public key (PEM; default"
                + " <data-dir>/secrets/audit-signing.pub). The private key is never needed.")
    Path publicKey;

    @Option(
        names = "--bootstrap-servers",
        paramLabel = "HOST:PORT",
        description =
            "Kafka holding the anchor topic (default: the running `up` of --data-dir, if any).")
    String bootstrapServers;

    @Option(
        names = "--anchor-topic",
        paramLabel = "TOPIC",
        description = "Default: kaskade.audit.anchors.")
    String anchorTopic;

    @Option(
        names = "--no-anchors",
        description = "Do not read the anchors (detects no rollback of the whole store).")
    boolean noAnchors;

    @Override
    public Integer call() {
      return AuditCommands.verify(
          store.options(),
          new AuditCommands.VerifyOptions(from, to, publicKey, anchors()),
          System.out);
    }

    private AuditCommands.AnchorSource anchors() {
      String bootstrap = bootstrapServers;
      if (noAnchors) {
        return null;
      }
      if (bootstrap == null) {
        try {
          bootstrap = InstanceFile.read(store.dataDir.dataDir()).bootstrapServers();
        } catch (CliException e) {
          return null; // up is stopped: the store alone is verified, and verify says so
        }
      }
      // The instance's own client settings (up --secure writes them) and KASKADE_KAFKA_*.
      java.util.Map<String, String> settings = ClusterCommand.environmentSettings();
      java.nio.file.Path clientFile = SecureStandalone.clientFileOf(store.dataDir.dataDir());
      if (clientFile != null) {
        settings.putIfAbsent(
            dev.kaskade.schemas.kafka.KafkaSecurity.FILE_SETTING, clientFile.toString());
      }
      var server =
          new dev.kaskade.schemas.kafka.KafkaConnection(
              bootstrap, dev.kaskade.schemas.kafka.KafkaSecurity.fromSettings(settings));
      String topic = anchorTopic != null ? anchorTopic : Topics.withDefaultPrefix().auditAnchors();
      return () -> KafkaAnchors.read(server, topic, Duration.ofSeconds(15));
    }
  }

  @Command(name = "query", description = "Print recorded requests and responses.")
  static final class Query implements Callable<Integer> {
    @Mixin StoreOption store;

    @Mixin Selection selection;

    @Option(names = "--id")
    String id;

    @Option(
        names = "--subject",
        paramLabel = "SUB",
        description = "Only calls by this authenticated caller (the token's sub).")
    String subject;

    @Option(names = "--limit", defaultValue = "0", description = "0 = no limit.")
    int limit;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "json, jsonl or table.")
    String output;

    @Override
    public Integer call() {
      return AuditCommands.query(
          store.options(),
          new AuditCommands.QueryOptions(
              selection.model,
              selection.namespace,
              selection.from,
              selection.to,
              id,
              subject,
              limit,
              output),
          System.out);
    }
  }

  @Command(
      name = "replay",
      description = "Re-send recorded requests to a target model and report the differences.")
  static final class Replay implements Callable<Integer> {
    @Mixin StoreOption store;

    @Mixin Selection selection;

    @Option(names = "--target", required = true, paramLabel = "MODEL[:REVISION]")
    String target;

    @Option(names = "--rate", defaultValue = "0", description = "Requests/s (0 = unlimited).")
    double rate;

    @Option(names = "--tolerance", defaultValue = "0", description = "Absolute tolerance.")
    double tolerance;

    @Option(names = "--report", required = true, paramLabel = "FILE")
    Path report;

    @Option(names = "--timeout", defaultValue = "30", description = "Seconds to wait for answers.")
    long timeoutSeconds;

    @Override
    public Integer call() {
      InstanceFile instance = InstanceFile.read(store.dataDir.dataDir());
      try (HttpSchemaRegistryClient registry =
          InstanceConnection.registryClient(instance, store.dataDir.dataDir())) {
        AuditReplayer.Connection connection =
            new AuditReplayer.Connection(
                InstanceConnection.kafka(instance, store.dataDir.dataDir()),
                registry,
                Topics.withDefaultPrefix(),
                TopicSettings.standalone().maxMessageBytes());
        return AuditCommands.replay(
            store.options(),
            connection,
            new AuditCommands.ReplayOptions(
                selection.model,
                selection.namespace,
                selection.from,
                selection.to,
                target,
                rate,
                tolerance,
                report,
                Duration.ofSeconds(timeoutSeconds)),
            System.out);
      }
    }
  }

  @Command(name = "delete", description = "Delete a tenant's audit data (see docs/audit.md).")
  static final class Delete implements Callable<Integer> {
    @Mixin StoreOption store;

    @Option(names = "--namespace", required = true)
    String namespace;

    @Option(names = "--model")
    String model;

    @Override
    public Integer call() {
      return AuditCommands.delete(store.options(), namespace, model, System.out);
    }
  }
}
