package dev.kaskade.workers.generation.upstream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental server-sent-events parser: feed it the bytes of a response as they arrive, in any
 * chunking, and it returns the {@code data} of each complete event. Lines are split on bytes, so a
 * UTF-8 character cut by a chunk boundary is decoded whole; comments ({@code : ping}), {@code
 * event:}/{@code id:}/{@code retry:} fields and CR/LF/CRLF line ends are handled as the SSE spec
 * says; several {@code data:} lines of one event are joined with a newline. Not thread-safe.
 */
final class SseParser {
  /** A line longer than this without a newline is not SSE from a model server. */
  static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private boolean lastWasCr;

  /**
   * @return the data of each event completed by these bytes, in order
   * @throws IllegalStateException when a line grows beyond {@link #MAX_LINE_BYTES}
   */
  List<String> feed(byte[] bytes) {
    List<String> events = new ArrayList<>();
    for (byte b : bytes) {
      if (b == '\n' && lastWasCr) {
        lastWasCr = false; // the LF of a CRLF
        continue;
      }
      lastWasCr = b == '\r';
      if (b == '\n' || b == '\r') {
        endLine(events);
      } else {
        line.write(b);
        if (line.size() > MAX_LINE_BYTES) {
          throw new IllegalStateException("an event-stream line exceeds " + MAX_LINE_BYTES + " B");
        }
      }
    }
    return events;
  }

  private void endLine(List<String> events) {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      if (hasData) {
        events.add(data.toString());
      }
      data.setLength(0);
      hasData = false;
      return;
    }
    if (text.startsWith(":")) {
      return; // comment / heartbeat
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (hasData) {
        data.append('\n');
      }
      data.append(value);
      hasData = true;
    }
  }
}
