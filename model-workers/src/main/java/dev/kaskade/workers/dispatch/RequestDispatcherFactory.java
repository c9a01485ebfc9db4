package dev.kaskade.workers.dispatch;

import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;

/** Lets {@code kaskade up} find the request dispatcher (started right after the workers). */
public final class RequestDispatcherFactory implements ComponentFactory {
  @Override
  public String componentName() {
    return "dispatcher";
  }

  @Override
  public int order() {
    return 21;
  }

  @Override
  public KaskadeComponent create(KaskadeContext context) {
    return new RequestDispatcher(context);
  }
}
