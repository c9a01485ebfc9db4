package dev.kaskade.workers;

import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;

/** Lets {@code kaskade up} find the model worker (settings: see {@link WorkerConfig}). */
public final class WorkerComponentFactory implements ComponentFactory {
  @Override
  public String componentName() {
    return "model-workers";
  }

  @Override
  public int order() {
    return 20;
  }

  @Override
  public KaskadeComponent create(KaskadeContext context) {
    return new WorkerComponent(context);
  }
}
