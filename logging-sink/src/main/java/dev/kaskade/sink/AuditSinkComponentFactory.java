package dev.kaskade.sink;

import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;

/** Lets {@code kaskade up} start the audit sink (after the payload logger, before the gateway). */
public final class AuditSinkComponentFactory implements ComponentFactory {
  @Override
  public String componentName() {
    return AuditSinkComponent.COMPONENT;
  }

  @Override
  public int order() {
    return 40;
  }

  /** Reads the audit topic only, which exists before any component starts. */
  @Override
  public boolean startsBesideControlPlane() {
    return true;
  }

  @Override
  public KaskadeComponent create(KaskadeContext context) {
    return new AuditSinkComponent(context);
  }
}
