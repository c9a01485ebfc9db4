package dev.kaskade.workers.backend;

import dev.kaskade.events.DataType;
import java.util.List;

/** Name, datatype and shape (with -1 for variable dimensions) of a model input or output. */
public record TensorMetadata(String name, DataType datatype, List<Long> shape) {
  public TensorMetadata {
    shape = List.copyOf(shape);
  }
}
