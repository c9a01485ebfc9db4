package dev.kaskade.workers.generation.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import dev.kaskade.schemas.runtime.RuntimeBridgeRules;
import dev.kaskade.workers.backend.ModelFiles;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.generation.GeneratorFactory;
import dev.kaskade.workers.generation.TextGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves GGUF files in-process with llama.cpp: a model of format {@code gguf} or {@code llama.cpp},
 * or {@code huggingface} whose storage holds a {@code .gguf} file (a file, or a folder with exactly
 * one). Models with an upstream URL go to the OpenAI-compatible upstream instead.
 */
public final class LlamaCppFactory implements GeneratorFactory {
  private static final Logger LOG = LoggerFactory.getLogger(LlamaCppFactory.class);
  private static final List<String> EXTENSIONS = List.of(".gguf");
  private static final Set<String> FORMATS = Set.of("gguf", "llama.cpp", "llamacpp");
  private static final byte[] MAGIC = {'G', 'G', 'U', 'F'};
  private static boolean logsRouted;

  @Override
  public String name() {
    return "llama.cpp";
  }

  @Override
  public boolean accepts(ModelSource source) {
    if (source.parameters().containsKey(RuntimeBridgeRules.UPSTREAM_URL)) {
      return false;
    }
    String format = source.format().toLowerCase(Locale.ROOT);
    return FORMATS.contains(format) || (format.equals("huggingface") && holdsGguf(source));
  }

  private static boolean holdsGguf(ModelSource source) {
    try {
      ModelFiles.find(source.localPath(), EXTENSIONS);
      return true;
    } catch (ModelLoadException e) {
      return false;
    }
  }

  @Override
  public TextGenerator open(ModelSource source) throws ModelLoadException {
    Path file = ModelFiles.find(source.localPath(), EXTENSIONS);
    checkMagic(file);
    LlamaCppSettings settings = LlamaCppSettings.of(source.parameters());
    if (source.parameters().containsKey("dtype")) {
      LOG.info(
          "dtype {} ignored for {}: a GGUF file carries its own tensor types",
          source.parameters().get("dtype"),
          file);
    }
    routeLogs();
    long started = System.nanoTime();
    LlamaModel model;
    try {
      model = new LlamaModel(parameters(file, settings));
    } catch (RuntimeException e) {
      // java-llama.cpp's LlamaException is not public
      throw new ModelLoadException("llama.cpp cannot load " + file + ": " + e.getMessage(), e);
    }
    LOG.info(
        "llama.cpp loaded {} in {} ms ({} parallel, {} context tokens each)",
        file,
        (System.nanoTime() - started) / 1_000_000,
        settings.parallel(),
        settings.contextPerSequence());
    return new LlamaCppGenerator(model, settings);
  }

  private static ModelParameters parameters(Path file, LlamaCppSettings settings) {
    ModelParameters p =
        new ModelParameters()
            .setModel(file.toString())
            .setParallel(settings.parallel())
            .setCtxSize(settings.totalContext())
            // a prompt longer than the context is refused (400), not silently cut at its start
            .disableContextShift()
            .enableJinja();
    if (settings.gpuLayers() > 0) {
      p.setGpuLayers(settings.gpuLayers());
    }
    if (settings.threads() > 0) {
      p.setThreads(settings.threads());
    }
    if (!LOG.isDebugEnabled()) {
      // the embedded server prints every slot and timing line; a failed load still throws
      p.disableLog();
    }
    return p;
  }

  /** llama.cpp aborts on some malformed files, so a file that is not GGUF never reaches it. */
  private static void checkMagic(Path file) throws ModelLoadException {
    byte[] head = new byte[MAGIC.length];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read model file " + file + ": " + e, e);
    }
    if (read < MAGIC.length || !Arrays.equals(head, MAGIC)) {
      throw new ModelLoadException(
          "model file " + file + " is not a GGUF file (it does not start with the GGUF magic)");
    }
  }

  /**
   * Loads the natives (the first use of {@link LlamaModel}) and sends llama.cpp's log lines to
   * SLF4J instead of stderr.
   *
   * @throws ModelLoadException when the native library cannot be loaded, e.g. libgomp is missing
   */
  static synchronized void routeLogs() throws ModelLoadException {
    if (logsRouted) {
      return;
    }
    try {
      LlamaModel.setLogger(LogFormat.TEXT, LlamaCppFactory::log);
    } catch (LinkageError e) {
      throw new ModelLoadException(
          "the llama.cpp native library cannot be loaded ("
              + e
              + "); it needs libgomp.so.1 and libstdc++ (Debian/Ubuntu: apt-get install libgomp1)",
          e);
    }
    logsRouted = true;
  }

  private static void log(LogLevel level, String message) {
    String line = message.strip();
    switch (level) {
      case ERROR -> LOG.warn("llama.cpp: {}", line);
      case WARN -> LOG.info("llama.cpp: {}", line);
      default -> LOG.debug("llama.cpp: {}", line);
    }
  }
}
