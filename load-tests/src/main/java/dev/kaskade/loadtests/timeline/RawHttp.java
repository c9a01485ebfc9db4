package dev.kaskade.loadtests.timeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A keep-alive HTTP/1.1 client on one socket with Nagle off and nothing between the send and the
 * bytes: no client library's pools, threads or buffering in the figure. Reads a whole answer,
 * content-length or chunked (server-sent events included).
 */
final class RawHttp implements AutoCloseable {
  private final URI uri;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(URI uri) throws IOException {
    this.uri = uri;
    this.socket = new Socket(uri.getHost(), uri.getPort());
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(60_000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Sends {@code body} as a JSON POST and returns the whole answer (status line to last byte). */
  String post(String body) throws IOException {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            .formatted(uri.getRawPath(), uri.getHost(), payload.length);
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(payload);
    out.flush();
    return readAnswer();
  }

  private String readAnswer() throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] buf = new byte[65_536];
    while (!complete(seen.toString(StandardCharsets.UTF_8))) {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("connection closed mid-answer: " + seen);
      }
      seen.write(buf, 0, n);
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  /** Whether {@code text} holds a whole answer: all its content-length, or the last chunk. */
  static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = text.substring(0, end).toLowerCase(Locale.ROOT);
    if (head.contains("transfer-encoding: chunked")) {
      return text.endsWith("\r\n0\r\n\r\n");
    }
    int at = head.indexOf("content-length:");
    if (at < 0) {
      return true;
    }
    int lineEnd = head.indexOf("\r\n", at);
    String value = head.substring(at + 15, lineEnd < 0 ? head.length() : lineEnd).trim();
    int body = text.substring(end + 4).getBytes(StandardCharsets.UTF_8).length;
    return body >= Integer.parseInt(value);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
