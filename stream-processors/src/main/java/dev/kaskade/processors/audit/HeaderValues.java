package dev.kaskade.processors.audit;

import java.nio.charset.StandardCharsets;

/**
 * CloudEvents HTTP binding header values: characters outside printable ASCII and {@code %} are
 * percent-encoded (UTF-8), as the binding requires. The JDK HTTP client refuses header values with
 * control characters or characters above 0xFF ({@code IllegalArgumentException}), so a request id
 * such as {@code "☃"} or one with a newline must never reach it raw. Spaces and double quotes stay
 * as they are: KServe receivers read {@code ce-metadata} as raw JSON, and a decoding receiver reads
 * them unchanged.
 */
final class HeaderValues {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private HeaderValues() {}

  static String encode(String value) {
    if (value == null || isPlain(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c >= 0x20 && c <= 0x7E && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  private static boolean isPlain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '%') {
        return false;
      }
    }
    return true;
  }
}
