package dev.kaskade.workers.generation.tinylm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The tiny LM's vocabulary: the 256 byte values, then {@code <bos>} and {@code <eos>}, so any UTF-8
 * text round-trips and usage counts are bytes. Pure.
 */
public final class ByteTokenizer {
  public static final int BOS = 256;
  public static final int EOS = 257;
  public static final int VOCAB = 258;

  private ByteTokenizer() {}

  /** {@code <bos>} followed by the UTF-8 bytes of the text. */
  public static long[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    long[] ids = new long[bytes.length + 1];
    ids[0] = BOS;
    for (int i = 0; i < bytes.length; i++) {
      ids[i + 1] = bytes[i] & 0xff;
    }
    return ids;
  }

  /**
   * Turns byte tokens into text, holding back an incomplete UTF-8 sequence until its last byte
   * arrives, so no chunk ever carries half a character.
   */
  public static final class Decoder {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Adds one byte token; returns the text now complete (maybe empty). */
    public String push(int token) {
      if (token < 0 || token > 255) {
        return "";
      }
      pending.write(token);
      byte[] bytes = pending.toByteArray();
      int complete = completePrefix(bytes);
      if (complete == 0) {
        return "";
      }
      String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
      pending.reset();
      pending.write(bytes, complete, bytes.length - complete);
      return text;
    }

    /** Length of the longest prefix that does not end inside a multi-byte character. */
    static int completePrefix(byte[] bytes) {
      int i = bytes.length - 1;
      int back = 0;
      while (i >= 0 && back < 4 && (bytes[i] & 0xC0) == 0x80) {
        i--;
        back++;
      }
      if (i < 0) {
        return bytes.length; // only continuation bytes: invalid, let the decoder replace them
      }
      int lead = bytes[i] & 0xff;
      int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      return bytes.length - i >= need ? bytes.length : i;
    }
  }
}
