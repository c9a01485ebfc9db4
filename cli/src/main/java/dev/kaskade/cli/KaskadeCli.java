package dev.kaskade.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kaskade} command. */
@Command(
    name = "kaskade",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "KServe-compatible model inference on Apache Kafka.",
    subcommands = {UpCommand.class, VersionCommand.class})
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
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
