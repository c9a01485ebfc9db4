package dev.kaskade.workers.backend.tensorrt;

import ai.onnx.proto.OnnxMl;
import dev.kaskade.workers.backend.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads an ONNX model's graph inputs (not initializers) with -1 for symbolic dimensions. */
public final class OnnxInputs {
  private OnnxInputs() {}

  public static Map<String, List<Long>> read(Path onnx) throws ModelLoadException {
    OnnxMl.GraphProto graph;
    try (InputStream in = Files.newInputStream(onnx)) {
      graph = OnnxMl.ModelProto.parseFrom(in).getGraph();
    } catch (IOException e) {
      throw new ModelLoadException("cannot read ONNX model " + onnx.getFileName() + ": " + e, e);
    }
    Set<String> initializers = new HashSet<>();
    graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
    Map<String, List<Long>> inputs = new LinkedHashMap<>();
    for (OnnxMl.ValueInfoProto value : graph.getInputList()) {
      if (initializers.contains(value.getName())) {
        continue;
      }
      List<Long> dims = new ArrayList<>();
      for (OnnxMl.TensorShapeProto.Dimension dim :
          value.getType().getTensorType().getShape().getDimList()) {
        dims.add(dim.hasDimValue() ? dim.getDimValue() : -1L);
      }
      inputs.put(value.getName(), dims);
    }
    if (inputs.isEmpty()) {
      throw new ModelLoadException("ONNX model " + onnx.getFileName() + " has no graph inputs");
    }
    return inputs;
  }
}
