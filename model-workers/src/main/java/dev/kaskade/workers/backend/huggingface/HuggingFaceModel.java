package dev.kaskade.workers.backend.huggingface;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.backend.huggingface.TextEncoder.Batch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Hugging Face model: texts in (one BYTES input), the tokenizer, the ONNX export on ONNX Runtime
 * (an {@code onnx} {@link LoadedModel}), then the task's post-processing. Thread-safe as its parts
 * are (the tokenizer and the ORT session are).
 */
final class HuggingFaceModel implements LoadedModel {
  static final String INPUT = "text";
  static final String PLATFORM = "huggingface_onnx";

  private final LoadedModel onnx;
  private final TextEncoder encoder;
  private final TaskOutputs outputs;
  private final String transformerOutput;
  private final ModelMetadata metadata;
  private final long tokenizerBytes;

  HuggingFaceModel(
      String name,
      LoadedModel onnx,
      TextEncoder encoder,
      TaskOutputs outputs,
      String transformerOutput,
      long tokenizerBytes) {
    this.onnx = onnx;
    this.encoder = encoder;
    this.outputs = outputs;
    this.transformerOutput = transformerOutput;
    this.tokenizerBytes = tokenizerBytes;
    this.metadata =
        new ModelMetadata(
            name,
            PLATFORM,
            List.of(new TensorMetadata(INPUT, DataType.BYTES, List.of(-1L))),
            outputs.metadata());
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs)
      throws InferenceFailure {
    List<String> texts = texts(inputs);
    Batch batch = encoder.encode(texts);
    Raw raw = outputs.options().batchRows() ? runPadded(batch) : runRowByRow(batch);
    List<Tensor> all = outputs.compute(batch, raw.values(), raw.dims(), encoder);
    if (requestedOutputs == null || requestedOutputs.isEmpty()) {
      return all;
    }
    return all.stream().filter(t -> requestedOutputs.contains(t.getName())).toList();
  }

  /** The transformer's output for a batch: {@code [rows, length, dims]} or {@code [rows, dims]}. */
  private record Raw(float[] values, int dims) {}

  /** One execution of the padded batch: fast, but see {@link HfOptions#batchRows()}. */
  private Raw runPadded(Batch batch) throws InferenceFailure {
    Tensor raw = run(batch, 0, batch.rows(), batch.length());
    List<Long> shape = raw.getShape();
    return new Raw(Tensors.toFloats(raw), shape.get(shape.size() - 1).intValue());
  }

  /**
   * One execution per text, without padding, placed into the padded layout (zeros where a shorter
   * text has padding). A text's result then never depends on the other texts of its request.
   */
  private Raw runRowByRow(Batch batch) throws InferenceFailure {
    float[] values = null;
    int dims = 0;
    int rowSize = 0;
    for (int r = 0; r < batch.rows(); r++) {
      int length = (int) batch.tokenCount(r);
      Tensor raw = run(batch, r, 1, length);
      List<Long> shape = raw.getShape();
      float[] row = Tensors.toFloats(raw);
      if (values == null) {
        dims = shape.get(shape.size() - 1).intValue();
        boolean perToken = shape.size() == 3;
        rowSize = perToken ? batch.length() * dims : dims;
        values = new float[batch.rows() * rowSize];
      }
      System.arraycopy(row, 0, values, r * rowSize, row.length);
    }
    return new Raw(values, dims);
  }

  private Tensor run(Batch batch, int firstRow, int rows, int length) throws InferenceFailure {
    List<Tensor> feeds = new ArrayList<>();
    for (TensorMetadata input : onnx.metadata().inputs()) {
      feeds.add(feed(input, batch, firstRow, rows, length));
    }
    return onnx.infer(feeds, Set.of(transformerOutput)).get(0);
  }

  /** The request's texts, checked: one BYTES tensor of 1 to maxInstances UTF-8 strings. */
  private List<String> texts(List<Tensor> inputs) {
    if (inputs.size() != 1 || inputs.get(0).getDatatype() != DataType.BYTES) {
      throw KaskadeException.invalid(
          "model " + metadata.name() + " takes one BYTES input '" + INPUT + "' of texts");
    }
    List<byte[]> elements = Tensors.toByteElements(inputs.get(0));
    if (elements.isEmpty()) {
      throw KaskadeException.invalid("no texts: send at least one instance");
    }
    int max = outputs.options().maxInstances();
    if (elements.size() > max) {
      throw KaskadeException.invalid(
          elements.size() + " texts in one request; model " + metadata.name() + " takes " + max);
    }
    List<String> texts = new ArrayList<>(elements.size());
    for (byte[] element : elements) {
      texts.add(new String(element, StandardCharsets.UTF_8));
    }
    return texts;
  }

  /** Rows {@code [firstRow, firstRow+rows)}, the first {@code length} tokens of each. */
  private static Tensor feed(TensorMetadata input, Batch batch, int firstRow, int rows, int length)
      throws InferenceFailure {
    long[][] all =
        switch (input.name()) {
          case "input_ids" -> batch.ids();
          case "attention_mask" -> batch.mask();
          case "token_type_ids" -> batch.typeIds();
          default ->
              throw new InferenceFailure(
                  "ONNX input '"
                      + input.name()
                      + "' is none of input_ids, attention_mask, token_type_ids");
        };
    List<Long> shape = List.of((long) rows, (long) length);
    long[] flat = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(all[firstRow + r], 0, flat, r * length, length);
    }
    if (input.datatype() != DataType.INT32) {
      return Tensors.ofLongs(input.name(), shape, flat);
    }
    int[] ints = new int[flat.length];
    for (int i = 0; i < flat.length; i++) {
      ints[i] = (int) flat[i];
    }
    return Tensors.ofInts(input.name(), shape, ints);
  }

  @Override
  public long memoryBytes() {
    return onnx.memoryBytes() + tokenizerBytes;
  }

  @Override
  public void close() {
    onnx.close();
    encoder.close();
  }
}
