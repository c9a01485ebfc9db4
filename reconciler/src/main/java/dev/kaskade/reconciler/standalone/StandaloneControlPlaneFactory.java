package dev.kaskade.reconciler.standalone;

import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;

/**
 * Lets {@code kaskade up} find the standalone control plane; manifest folders come from the {@code
 * control.manifests} setting.
 */
public final class StandaloneControlPlaneFactory implements ComponentFactory {
  @Override
  public String componentName() {
    return "control-plane";
  }

  @Override
  public int order() {
    return 10;
  }

  @Override
  public KaskadeComponent create(KaskadeContext context) {
    return new StandaloneControlPlane(context);
  }
}
