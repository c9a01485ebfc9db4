package dev.kaskade.workers.generation;

import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/** The {@link GeneratorFactory} implementations on the class path, in service-file order. */
public final class Generators {
  private final List<GeneratorFactory> factories;

  public Generators(List<GeneratorFactory> factories) {
    this.factories = List.copyOf(factories);
  }

  public static Generators load() {
    List<GeneratorFactory> found = new ArrayList<>();
    ServiceLoader.load(GeneratorFactory.class, Generators.class.getClassLoader())
        .forEach(found::add);
    return new Generators(found);
  }

  /** The first factory that accepts the source, if any. */
  public Optional<GeneratorFactory> forSource(ModelSource source) {
    return factories.stream().filter(f -> f.accepts(source)).findFirst();
  }

  /** Opens the source as a {@link GenerativeModel} when a factory accepts it. */
  public Optional<GenerativeModel> open(ModelSource source) throws ModelLoadException {
    Optional<GeneratorFactory> factory = forSource(source);
    if (factory.isEmpty()) {
      return Optional.empty();
    }
    TextGenerator generator = factory.get().open(source);
    return Optional.of(new GenerativeModel(source.name(), generator, sizeOf(source.localPath())));
  }

  private static long sizeOf(Path path) {
    try (Stream<Path> files = Files.walk(path, 4)) {
      return files.filter(Files::isRegularFile).mapToLong(Generators::size).sum();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
