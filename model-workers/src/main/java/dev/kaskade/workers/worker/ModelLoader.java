package dev.kaskade.workers.worker;

import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;

/** Fetches and loads a model; called on a virtual thread, never on a consumer loop. */
@FunctionalInterface
public interface ModelLoader {
  LoadedModel load(ModelLoad load) throws ModelLoadException;
}
