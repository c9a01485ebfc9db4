package dev.kaskade.workers.backend.lightgbm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads LightGBM's native libraries from the lightgbmlib jar once per JVM. The jar ships them as
 * resources but, unlike xgboost4j, has no loader of its own (SynapseML normally does this): they
 * are copied to a temporary directory and loaded, LightGBM itself first so that the SWIG wrapper's
 * dependency on {@code lib_lightgbm.so} resolves to it.
 */
final class LightGbmNatives {
  private static final String[] LIBRARIES = {"lib_lightgbm", "lib_lightgbm_swig"};
  private static final Object LOCK = new Object();
  private static volatile String failure;
  private static volatile boolean loaded;

  private LightGbmNatives() {}

  /** Loads the libraries if needed; returns null when they are usable, else why not. */
  static String ensureLoaded() {
    if (loaded) {
      return null;
    }
    synchronized (LOCK) {
      if (!loaded && failure == null) {
        try {
          load();
          loaded = true;
        } catch (IOException | RuntimeException | LinkageError e) {
          failure = "LightGBM native library failed to load: " + e;
        }
      }
      return loaded ? null : failure;
    }
  }

  private static void load() throws IOException {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new UnsupportedOperationException(
          "lightgbmlib ships natives for linux x86_64 and windows only, not " + os + " " + arch);
    }
    Path dir = Files.createTempDirectory("kaskade-lightgbm");
    dir.toFile().deleteOnExit();
    for (String library : LIBRARIES) {
      String resource = "/com/microsoft/ml/lightgbm/linux/x86_64/" + library + ".so";
      Path target = dir.resolve(library + ".so");
      try (InputStream in = LightGbmNatives.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("resource " + resource + " is not on the class path");
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      target.toFile().deleteOnExit();
      System.load(target.toAbsolutePath().toString());
    }
  }
}
