package dev.kaskade.workers.worker;

import dev.kaskade.workers.backend.BackendRegistry;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.generation.Generators;
import java.nio.file.Path;

/**
 * The production loader: storage resolver, then a generator factory that accepts the model, else
 * the backend registered for the model format.
 */
public final class BackendModelLoader implements ModelLoader {
  private final BackendRegistry backends;
  private final StorageResolver storage;
  private final Generators generators;

  public BackendModelLoader(BackendRegistry backends, StorageResolver storage) {
    this(backends, storage, Generators.load());
  }

  public BackendModelLoader(
      BackendRegistry backends, StorageResolver storage, Generators generators) {
    this.backends = backends;
    this.storage = storage;
    this.generators = generators;
  }

  @Override
  public LoadedModel load(ModelLoad load) throws ModelLoadException {
    if (load.storageUri() == null || load.storageUri().isBlank()) {
      throw new ModelLoadException("model " + load.name() + " has no storage_uri");
    }
    Path local;
    try {
      local = storage.resolve(load.storageUri(), load.annotations());
    } catch (Exception e) {
      throw new ModelLoadException("cannot fetch " + load.storageUri() + ": " + e.getMessage(), e);
    }
    String format = load.format() == null ? "" : load.format();
    ModelSource source =
        new ModelSource(load.name(), load.revision(), local, format, load.parameters());
    // A generative model (tiny-lm, GGUF, …) is served by a GeneratorFactory, not a tensor backend.
    var generative = generators.open(source);
    if (generative.isPresent()) {
      return generative.get();
    }
    return backends.forFormat(format).load(source);
  }
}
