package dev.kaskade.workers.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import java.util.List;

/** Open Inference Protocol model metadata JSON, as carried by ComponentStatus. Pure. */
public final class MetadataJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MetadataJson() {}

  /** {@code {"name","versions","platform","inputs":[{"name","datatype","shape"}],"outputs"}}. */
  public static String of(String name, String version, ModelMetadata metadata) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("name", name);
    root.putArray("versions").add(version);
    root.put("platform", metadata.platform());
    tensors(root.putArray("inputs"), metadata.inputs());
    tensors(root.putArray("outputs"), metadata.outputs());
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render model metadata", e);
    }
  }

  private static void tensors(ArrayNode array, List<TensorMetadata> tensors) {
    for (TensorMetadata tensor : tensors) {
      ObjectNode node = array.addObject();
      node.put("name", tensor.name());
      node.put("datatype", tensor.datatype().name());
      ArrayNode shape = node.putArray("shape");
      tensor.shape().forEach(shape::add);
    }
  }
}
