package dev.kaskade.schemas.runtime;

/**
 * Found with {@link java.util.ServiceLoader} by {@code kaskade up}: each module that ships a
 * deployable registers one in {@code
 * META-INF/services/dev.kaskade.schemas.runtime.ComponentFactory}, so the launcher starts every
 * component on the classpath without knowing them.
 */
public interface ComponentFactory {

  /** The {@link KaskadeComponent#name()} of what {@link #create} returns. */
  String componentName();

  /**
   * Start order: lower first (control plane 10, workers 20, processors 30, sink 40, gateway 50).
   */
  int order();

  /**
   * Whether {@code kaskade up} may start this component while the first one (the control plane,
   * which publishes the built-in runtimes and the manifests) is still starting: true for a
   * component that needs no resource to start and follows new ones as they come. False (the
   * default): it starts once the control plane has.
   */
  default boolean startsBesideControlPlane() {
    return false;
  }

  /** The component, not yet started. */
  KaskadeComponent create(KaskadeContext context);
}
