package dev.kaskade.gateway;

import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;

/** Lets {@code kaskade up} find the gateway (settings: see {@link GatewayConfig}). */
public final class GatewayComponentFactory implements ComponentFactory {
  @Override
  public String componentName() {
    return "gateway";
  }

  @Override
  public int order() {
    return 50;
  }

  @Override
  public KaskadeComponent create(KaskadeContext context) {
    return new GatewayComponent(context);
  }
}
