package dev.kaskade.processors.transform;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.TransformerSpec;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.serde.AvroTrust;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Builds the transformer of a TransformerSpec and caches it per spec: declarative steps first (pre)
 * / last (post) around an optional SPI transformer loaded from {@code storage_uri} (a jar file,
 * {@code file:} URI, or a directory of jars) with its own class loader. What a manifest may load is
 * the operator's choice: {@link TransformerPolicy}.
 */
public final class TransformerLoader {
  static {
    // Builders that copy records (newBuilder(other)) load generated classes through Avro's
    // class validator; user transformers do the same.
    AvroTrust.install();
  }

  /** Specs kept built at once (every spec change of every InferenceService adds one). */
  public static final int MAX_CACHED = 256;

  /** A built transformer and the class loader it owns (null when it uses the parent's). */
  private record Loaded(Transformer transformer, URLClassLoader loader) {}

  private final Map<TransformerSpec, Loaded> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TransformerSpec, Loaded> eldest) {
          // Not closed: a stream thread may still be running the evicted transformer, whose
          // classes would then fail to load. The GC collects the loader, and its jar files are
          // closed by their cleaners, once nothing uses it.
          return size() > MAX_CACHED;
        }
      };
  private final ClassLoader parent;
  private final TransformerPolicy policy;

  /** Kaskade's own transformers only ({@link TransformerPolicy#DEFAULT}). */
  public TransformerLoader() {
    this(TransformerPolicy.DEFAULT);
  }

  public TransformerLoader(TransformerPolicy policy) {
    this(TransformerLoader.class.getClassLoader(), policy);
  }

  public TransformerLoader(ClassLoader parent, TransformerPolicy policy) {
    this.parent = parent;
    this.policy = policy;
  }

  /**
   * The transformer for this spec; throws KaskadeException when it cannot be built. At most {@value
   * #MAX_CACHED} specs stay built; the least recently used one is dropped (its class loader is left
   * to the GC, not closed, as a transformer still running may need it).
   */
  public Transformer load(TransformerSpec spec) {
    synchronized (this) {
      Loaded known = cache.get(spec);
      if (known != null) {
        return known.transformer();
      }
    }
    // Built outside the lock: a slow build (a big jar, the status thread checking a new spec)
    // must not hold up the stream threads using transformers already built.
    Loaded built = build(spec);
    Loaded raced;
    synchronized (this) {
      raced = cache.putIfAbsent(spec, built);
    }
    if (raced == null) {
      return built.transformer();
    }
    close(built); // another thread built the same spec first; this copy was never handed out
    return raced.transformer();
  }

  /** How many specs are built (for tests). */
  synchronized int cached() {
    return cache.size();
  }

  private static void close(Loaded loaded) {
    if (loaded.loader() != null) {
      try {
        loaded.loader().close();
      } catch (java.io.IOException e) {
        // nothing holds it any more; a leaked file handle is all that is lost
      }
    }
  }

  private Loaded build(TransformerSpec spec) {
    DeclarativeTransformer steps = new DeclarativeTransformer(spec.getStepsJson());
    // checked before any class loader exists: a refused spec touches no file and loads nothing
    if (spec.getSpiClass() != null) {
      policy.requireAllowed(spec.getSpiClass());
    }
    if (spec.getStorageUri() != null) {
      policy.requireJars();
    }
    URLClassLoader jars = spec.getStorageUri() == null ? null : classLoader(spec.getStorageUri());
    Transformer user;
    try {
      user = spi(spec, jars == null ? parent : jars);
    } catch (RuntimeException | Error e) {
      close(new Loaded(null, jars));
      throw e;
    }
    if (user == null) {
      return new Loaded(steps, jars);
    }
    return new Loaded(combined(steps, user), jars);
  }

  private static Transformer combined(DeclarativeTransformer steps, Transformer user) {
    return new Transformer() {
      @Override
      public InferenceRequest preprocess(InferenceRequest request, Map<String, String> headers) {
        return user.preprocess(steps.preprocess(request, headers), headers);
      }

      @Override
      public InferenceResponse postprocess(
          InferenceResponse response, Map<String, String> headers) {
        return steps.postprocess(user.postprocess(response, headers), headers);
      }
    };
  }

  /**
   * The user transformer: loaded without running its static initialiser, checked to be an allowed
   * {@link Transformer}, and only then instantiated.
   */
  private Transformer spi(TransformerSpec spec, ClassLoader loader) {
    if (spec.getSpiClass() == null && spec.getStorageUri() == null) {
      return null;
    }
    try {
      Class<?> type;
      if (spec.getSpiClass() != null) {
        type = Class.forName(spec.getSpiClass(), false, loader);
      } else {
        type =
            ServiceLoader.load(Transformer.class, loader).stream()
                .findFirst()
                .orElseThrow(
                    () ->
                        new KaskadeException(
                            Reason.UNAVAILABLE,
                            "no Transformer service in " + spec.getStorageUri()))
                .type();
      }
      policy.requireAllowed(type.getName());
      if (!Transformer.class.isAssignableFrom(type)) {
        throw new KaskadeException(
            Reason.INVALID_ARGUMENT,
            "transformer class " + type.getName() + " does not implement " + Transformer.class);
      }
      return type.asSubclass(Transformer.class).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException
        | ClassCastException
        | LinkageError
        | java.util.ServiceConfigurationError e) {
      throw new KaskadeException(
          Reason.UNAVAILABLE, "cannot load transformer " + spec.getSpiClass() + ": " + e, e);
    }
  }

  private URLClassLoader classLoader(String storageUri) {
    Path path =
        storageUri.startsWith("file:") ? Path.of(URI.create(storageUri)) : Path.of(storageUri);
    if (!Files.exists(path)) {
      throw new KaskadeException(Reason.UNAVAILABLE, "transformer jar " + path + " does not exist");
    }
    try {
      URL[] urls;
      if (Files.isDirectory(path)) {
        try (var jars = Files.list(path)) {
          urls =
              jars.filter(p -> p.toString().endsWith(".jar"))
                  .map(TransformerLoader::url)
                  .toArray(URL[]::new);
        }
      } else {
        urls = new URL[] {path.toUri().toURL()};
      }
      return new URLClassLoader("transformer", urls, parent);
    } catch (MalformedURLException e) {
      throw new KaskadeException(Reason.INVALID_ARGUMENT, "bad transformer path " + path, e);
    } catch (java.io.IOException e) {
      throw new KaskadeException(Reason.UNAVAILABLE, "cannot list " + path, e);
    }
  }

  private static URL url(Path p) {
    try {
      return p.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
