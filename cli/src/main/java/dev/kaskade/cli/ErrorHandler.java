package dev.kaskade.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints expected failures as one line (no stack trace) and exits non-zero. */
final class ErrorHandler implements IExecutionExceptionHandler {
  static final int USAGE_ERROR = 2;
  static final int FAILURE = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (e instanceof CliException cli) {
      cmd.getErr().println("error: " + cli.getMessage());
      return cli.exitCode();
    }
    cmd.getErr().println("error: " + e);
    e.printStackTrace(cmd.getErr());
    return FAILURE;
  }
}
