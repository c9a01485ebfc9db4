package dev.kaskade.workers.backend.huggingface;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.kaskade.workers.backend.ModelLoadException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A {@code tokenizer.json} read by the Hugging Face tokenizers library (through DJL): a batch of
 * texts becomes padded {@code input_ids}, {@code attention_mask} and {@code token_type_ids}, each
 * text truncated to {@link #maxLength()} tokens like transformers' {@code truncation=True}.
 */
final class TextEncoder implements AutoCloseable {
  private static final List<String> MASK_TOKENS = List.of("[MASK]", "<mask>");

  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final long maskId;

  private TextEncoder(HuggingFaceTokenizer tokenizer, int maxLength, long maskId) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.maskId = maskId;
  }

  /** Tokenized texts, padded to the longest; rows follow the input order. */
  record Batch(long[][] ids, long[][] mask, long[][] typeIds, String[][] tokens) {
    int rows() {
      return ids.length;
    }

    int length() {
      return ids.length == 0 ? 0 : ids[0].length;
    }

    /** Tokens of a row counting the special ones and not the padding. */
    long tokenCount(int row) {
      long n = 0;
      for (long m : mask[row]) {
        n += m;
      }
      return n;
    }
  }

  /**
   * Loads {@code tokenizer.json}.
   *
   * @param maxLength tokens per text before truncation (&gt; 0)
   */
  static TextEncoder load(Path file, int maxLength) throws ModelLoadException {
    Djl.offline();
    long maskId = maskId(file);
    try {
      HuggingFaceTokenizer tokenizer =
          HuggingFaceTokenizer.newInstance(
              file,
              Map.of(
                  "padding", "true",
                  "truncation", "true",
                  "maxLength", Integer.toString(maxLength),
                  "addSpecialTokens", "true"));
      return new TextEncoder(tokenizer, maxLength, maskId);
    } catch (IOException | RuntimeException | LinkageError e) {
      throw new ModelLoadException("cannot load " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  int maxLength() {
    return maxLength;
  }

  /** The id of {@code [MASK]} / {@code <mask>}, or -1 when the vocabulary has none. */
  long maskId() {
    return maskId;
  }

  Batch encode(List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts);
    int n = encodings.length;
    long[][] ids = new long[n][];
    long[][] mask = new long[n][];
    long[][] types = new long[n][];
    String[][] tokens = new String[n][];
    for (int i = 0; i < n; i++) {
      ids[i] = encodings[i].getIds();
      mask[i] = encodings[i].getAttentionMask();
      types[i] = encodings[i].getTypeIds();
      tokens[i] = encodings[i].getTokens();
    }
    return new Batch(ids, mask, types, tokens);
  }

  String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  private static long maskId(Path file) throws ModelLoadException {
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      JsonArray added = json.getJsonArray("added_tokens", new JsonArray());
      for (int i = 0; i < added.size(); i++) {
        JsonObject token = added.getJsonObject(i);
        if (MASK_TOKENS.contains(token.getString("content"))) {
          return token.getLong("id");
        }
      }
      Object model = json.getValue("model");
      Object words = model instanceof JsonObject m ? m.getValue("vocab") : null;
      if (words instanceof JsonObject vocab) {
        for (String token : MASK_TOKENS) {
          Object id = vocab.getValue(token);
          if (id instanceof Number number) {
            return number.longValue();
          }
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
