package dev.kaskade.workers.generation.llamacpp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a tiny Llama-architecture GGUF file (GGUF v3, F32 tensors) that llama.cpp loads: a byte
 * tokenizer ({@code <unk> <s> </s>} and 256 {@code <0xNN>} tokens), one transformer block whose
 * attention and feed-forward outputs are zero (so the block is the identity), and an output head
 * that only lets lower-case letters and the space follow any token. Generation is therefore a
 * seeded random bigram over {@code [a-z ]}: ASCII, never EOS, deterministic when greedy. Only the
 * plumbing of the llama.cpp adapter is tested with it, not a language model.
 */
final class TinyGguf {
  private static final int VOCAB = 3 + 256;
  private static final int DIM = 32;
  private static final int HEADS = 2;
  private static final int FF = 64;
  private static final int CONTEXT = 1024;
  private static final int ALIGN = 32;

  // GGUF metadata value types
  private static final int T_UINT32 = 4;
  private static final int T_INT32 = 5;
  private static final int T_FLOAT32 = 6;
  private static final int T_BOOL = 7;
  private static final int T_STRING = 8;
  private static final int T_ARRAY = 9;

  private TinyGguf() {}

  /** Writes the model to {@code file} and returns it. */
  static Path write(Path file) throws IOException {
    Files.write(file, bytes());
    return file;
  }

  static byte[] bytes() {
    Map<String, float[]> tensors = tensors(new SplittableRandom(7));
    Out out = new Out();
    out.u32(0x46554747); // "GGUF"
    out.u32(3);
    out.u64(tensors.size());
    Out kv = new Out();
    metadata(kv);
    out.u64(kv.entries);
    out.raw(kv.toByteArray());
    long offset = 0;
    for (Map.Entry<String, float[]> t : tensors.entrySet()) {
      long[] dims = dims(t.getKey());
      out.string(t.getKey());
      out.u32(dims.length);
      for (long d : dims) {
        out.u64(d);
      }
      out.u32(0); // GGML_TYPE_F32
      out.u64(offset);
      offset += align(t.getValue().length * 4L);
    }
    out.pad();
    for (float[] data : tensors.values()) {
      for (float f : data) {
        out.f32(f);
      }
      out.pad();
    }
    return out.toByteArray();
  }

  private static void metadata(Out out) {
    out.kvString("general.architecture", "llama");
    out.kvString("general.name", "kaskade-tiny-llama");
    out.kvU32("llama.context_length", CONTEXT);
    out.kvU32("llama.embedding_length", DIM);
    out.kvU32("llama.block_count", 1);
    out.kvU32("llama.feed_forward_length", FF);
    out.kvU32("llama.attention.head_count", HEADS);
    out.kvU32("llama.attention.head_count_kv", HEADS);
    out.kvF32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    out.kvString("tokenizer.ggml.model", "llama");
    tokenizer(out);
    out.kvU32("tokenizer.ggml.bos_token_id", 1);
    out.kvU32("tokenizer.ggml.eos_token_id", 2);
    out.kvBool("tokenizer.ggml.add_space_prefix", false);
    out.kvString(
        "tokenizer.chat_template",
        "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
            + "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}");
  }

  /** Three metadata entries: tokens, scores, token types. */
  private static void tokenizer(Out out) {
    List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
    for (int b = 0; b < 256; b++) {
      tokens.add(String.format("<0x%02X>", b));
    }
    out.entries += 3;
    out.string("tokenizer.ggml.tokens");
    out.u32(T_ARRAY);
    out.u32(T_STRING);
    out.u64(tokens.size());
    tokens.forEach(out::string);
    out.string("tokenizer.ggml.scores");
    out.u32(T_ARRAY);
    out.u32(T_FLOAT32);
    out.u64(VOCAB);
    for (int i = 0; i < VOCAB; i++) {
      out.f32(0f);
    }
    out.string("tokenizer.ggml.token_type");
    out.u32(T_ARRAY);
    out.u32(T_INT32);
    out.u64(VOCAB);
    out.u32(2); // unknown
    out.u32(3); // control
    out.u32(3);
    for (int i = 3; i < VOCAB; i++) {
      out.u32(6); // byte
    }
  }

  private static Map<String, float[]> tensors(SplittableRandom random) {
    Map<String, float[]> t = new LinkedHashMap<>();
    float[] embed = new float[VOCAB * DIM];
    for (int tok = 0; tok < VOCAB; tok++) {
      embed[tok * DIM] = 1f; // a constant feature the head uses to forbid tokens
      for (int i = 1; i < DIM; i++) {
        embed[tok * DIM + i] = (float) random.nextGaussian();
      }
    }
    t.put("token_embd.weight", embed);
    t.put("output_norm.weight", ones(DIM));
    t.put("output.weight", head(random));
    t.put("blk.0.attn_norm.weight", ones(DIM));
    t.put("blk.0.attn_q.weight", gaussian(random, DIM * DIM, 0.1));
    t.put("blk.0.attn_k.weight", gaussian(random, DIM * DIM, 0.1));
    t.put("blk.0.attn_v.weight", gaussian(random, DIM * DIM, 0.1));
    t.put("blk.0.attn_output.weight", new float[DIM * DIM]);
    t.put("blk.0.ffn_norm.weight", ones(DIM));
    t.put("blk.0.ffn_gate.weight", gaussian(random, DIM * FF, 0.1));
    t.put("blk.0.ffn_down.weight", new float[FF * DIM]);
    t.put("blk.0.ffn_up.weight", gaussian(random, DIM * FF, 0.1));
    return t;
  }

  /** Rows of allowed tokens are random; the others get a large negative weight on feature 0. */
  private static float[] head(SplittableRandom random) {
    float[] head = new float[VOCAB * DIM];
    for (int tok = 0; tok < VOCAB; tok++) {
      int b = tok - 3;
      boolean allowed = b == ' ' || (b >= 'a' && b <= 'z');
      if (!allowed) {
        head[tok * DIM] = -30f;
        continue;
      }
      for (int i = 1; i < DIM; i++) {
        head[tok * DIM + i] = (float) (random.nextGaussian() * 0.5);
      }
    }
    return head;
  }

  /** GGUF dims, innermost first: matrices are [in, out]. */
  private static long[] dims(String name) {
    return switch (name) {
      case "token_embd.weight", "output.weight" -> new long[] {DIM, VOCAB};
      case "blk.0.ffn_gate.weight", "blk.0.ffn_up.weight" -> new long[] {DIM, FF};
      case "blk.0.ffn_down.weight" -> new long[] {FF, DIM};
      default -> name.endsWith("norm.weight") ? new long[] {DIM} : new long[] {DIM, DIM};
    };
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, 1f);
    return a;
  }

  private static float[] gaussian(SplittableRandom random, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (random.nextGaussian() * scale);
    }
    return a;
  }

  private static long align(long n) {
    return (n + ALIGN - 1) / ALIGN * ALIGN;
  }

  /** Little-endian writer for GGUF's scalars, strings and key-value entries. */
  private static final class Out {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private int entries;

    void raw(byte[] b) {
      bytes.write(b, 0, b.length);
    }

    void u32(int v) {
      scratch.clear();
      bytes.write(scratch.putInt(v).array(), 0, 4);
    }

    void u64(long v) {
      scratch.clear();
      bytes.write(scratch.putLong(v).array(), 0, 8);
    }

    void f32(float v) {
      scratch.clear();
      bytes.write(scratch.putFloat(v).array(), 0, 4);
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u64(b.length);
      bytes.write(b, 0, b.length);
    }

    void kvString(String key, String value) {
      entries++;
      string(key);
      u32(T_STRING);
      string(value);
    }

    void kvU32(String key, int value) {
      entries++;
      string(key);
      u32(T_UINT32);
      u32(value);
    }

    void kvF32(String key, float value) {
      entries++;
      string(key);
      u32(T_FLOAT32);
      f32(value);
    }

    void kvBool(String key, boolean value) {
      entries++;
      string(key);
      u32(T_BOOL);
      bytes.write(value ? 1 : 0);
    }

    void pad() {
      while (bytes.size() % ALIGN != 0) {
        bytes.write(0);
      }
    }

    byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }
}
