package dev.kaskade.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kaskade} command. */
@Command(
    name = "kaskade",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = VersionCommand.Provider.class,
    description = "KServe-compatible model inference on Apache Kafka.",
    subcommands = {
      UpCommand.class,
      ApplyCommand.class,
      GetCommand.class,
      DeleteCommand.class,
      AuditCommand.class,
      ClusterCommands.Gateway.class,
      ClusterCommands.Reconciler.class,
      ClusterCommands.Worker.class,
      ClusterCommands.Processors.class,
      ClusterCommands.AuditSink.class,
      LocalModelAgentCommand.class,
      AclsCommand.class,
      VersionCommand.class
    })
public final class KaskadeCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    quietLogging();
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (tests call this). */
  public static int run(String... args) {
    return new CommandLine(new KaskadeCli())
        .setExecutionExceptionHandler(new ErrorHandler())
        .execute(args);
  }

  /** WARN unless the user asked otherwise: the broker logs thousands of lines at INFO. */
  static void quietLogging() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // Kafka's and Streams' WARNs at start-up (empty metadata log, config advice) are not news.
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    setIfAbsent("org.slf4j.simpleLogger.log.kafka", "error");
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
