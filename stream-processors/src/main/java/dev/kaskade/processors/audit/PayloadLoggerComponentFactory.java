package dev.kaskade.processors.audit;

import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;

/** Lets {@code kaskade up} start the payload logger (before the audit sink). */
public final class PayloadLoggerComponentFactory implements ComponentFactory {
  @Override
  public String componentName() {
    return PayloadLoggerTopology.COMPONENT;
  }

  @Override
  public int order() {
    return 35;
  }

  /** Subscribes by pattern, so it picks up each InferenceService's topics as they appear. */
  @Override
  public boolean startsBesideControlPlane() {
    return true;
  }

  @Override
  public KaskadeComponent create(KaskadeContext context) {
    return new PayloadLoggerComponent(context);
  }
}
