package dev.kaskade.processors.topology;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every Kaskade Streams application does when an exception escapes a stream thread: log it and
 * start a fresh thread, which rejoins the group and resumes from the last committed offsets
 * (exactly-once: nothing the failed thread had not committed is visible, nothing is skipped).
 * Kafka's default, with no handler set, shuts the whole client down for good; for the payload
 * logger that meant a silently dead audit. Records that fail are dead-lettered before they get here
 * ({@link DeadLetterHandlers}); this is for what Streams itself throws. It does not cure every such
 * failure: a fresh thread did not recover the {@code TopologyException} of a pattern whose first
 * topic joins a task that already has other inputs, which the payload logger's anchor topic
 * prevents instead ({@code Topics#payloadLoggerAnchor()}, docs/audit.md).
 */
public final class ReplaceFailedThread implements StreamsUncaughtExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ReplaceFailedThread.class);

  private final String application;

  public ReplaceFailedThread(String application) {
    this.application = application;
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable exception) {
    LOG.error("{}: a stream thread failed; replacing it", application, exception);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
