package dev.kaskade.processors;

import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;

/** Lets {@code kaskade up} start the transformer, graph, explainer and monitor processors. */
public final class StreamProcessorsComponentFactory implements ComponentFactory {
  @Override
  public String componentName() {
    return "stream-processors";
  }

  @Override
  public int order() {
    return 30;
  }

  /** Follows the control topic and starts what resources need as they come. */
  @Override
  public boolean startsBesideControlPlane() {
    return true;
  }

  @Override
  public KaskadeComponent create(KaskadeContext context) {
    return new StreamProcessorsComponent(context);
  }
}
