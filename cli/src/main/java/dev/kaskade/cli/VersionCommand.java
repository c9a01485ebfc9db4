package dev.kaskade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code kaskade version}. */
@Command(name = "version", description = "Print the Kaskade version.")
final class VersionCommand implements Runnable {

  @Override
  public void run() {
    System.out.println(version());
  }

  static String version() {
    Properties props = new Properties();
    try (InputStream in = VersionCommand.class.getResourceAsStream("/kaskade-version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return "kaskade "
        + props.getProperty("version", "unknown")
        + " (Kafka "
        + props.getProperty("kafka.version", "unknown")
        + ", Java "
        + Runtime.version()
        + ")";
  }

  /** picocli's --version. */
  public static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {version()};
    }
  }
}
