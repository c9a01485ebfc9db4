package dev.kaskade.workers.backend.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.EnumSet;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way into ONNX Runtime's process-wide environment: every ORT user in the worker (and the
 * load tests) goes through here, so ORT's telemetry is off before its native library loads.
 *
 * <p>Why: from 1.29.0 ONNX Runtime's Linux/macOS builds start Microsoft's 1DS telemetry client when
 * the environment is created. It matches {@code std::regex} patterns against {@code
 * /proc/self/cmdline}; libstdc++'s backtracking matcher recurses per character, so a command line
 * of about 4 KB or more (e.g. {@code java -cp <a few hundred jars>}) overflows a 1 MiB Java thread
 * stack and the JVM dies with a bare SIGSEGV, no hs_err file (the stack is gone). Without {@code
 * /etc/machine-id} it also runs {@code blkid; hostname} through {@code /bin/sh} (and crashes with
 * no shell, microsoft/onnxruntime#32173), and it uploads events to Microsoft's collector. None of
 * that belongs in an offline serving process. ORT reads {@code ORT_DISABLE_TELEMETRY} with {@code
 * getenv}, which a JVM cannot set for itself, so it is put into the C environment with libc's
 * {@code setenv} (through JNA) unless the operator already set the variable. See
 * docs/model-formats.md.
 */
public final class OrtRuntime {
  public static final String DISABLE_TELEMETRY = "ORT_DISABLE_TELEMETRY";
  private static final Logger LOG = LoggerFactory.getLogger(OrtRuntime.class);

  private static boolean prepared;
  private static boolean telemetryOff;

  private OrtRuntime() {}

  /** libc's {@code setenv(3)}. */
  interface LibC extends Library {
    int setenv(String name, String value, int overwrite);
  }

  /**
   * ONNX Runtime's environment, created on first use with its telemetry off.
   *
   * @throws RuntimeException or {@link LinkageError} when the native library cannot load
   */
  public static synchronized OrtEnvironment environment() {
    prepare();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    if (!telemetryOff) {
      telemetryOff = true;
      try {
        env.setTelemetry(false);
      } catch (OrtException e) {
        LOG.debug("ONNX Runtime: setTelemetry(false) failed: {}", e.getMessage());
      }
    }
    return env;
  }

  /** Execution providers of this ONNX Runtime build (e.g. [CPU], or [CPU, CUDA, TENSOR_RT]). */
  public static EnumSet<OrtProvider> availableProviders() {
    environment();
    return OrtEnvironment.getAvailableProviders();
  }

  /**
   * Whether the process environment must get {@code ORT_DISABLE_TELEMETRY=1}: not when the operator
   * set the variable (any value is their decision), nor on Windows (ETW telemetry, no command-line
   * parsing, no {@code setenv}).
   */
  static boolean needsDisabling(Map<String, String> environment, boolean windows) {
    return !windows && !environment.containsKey(DISABLE_TELEMETRY);
  }

  /** Puts {@code ORT_DISABLE_TELEMETRY=1} into the C environment once, before ORT loads. */
  static synchronized void prepare() {
    if (prepared) {
      return;
    }
    prepared = true;
    if (!needsDisabling(System.getenv(), Platform.isWindows())) {
      return;
    }
    try {
      LibC libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
      if (libc.setenv(DISABLE_TELEMETRY, "1", 0) != 0) {
        LOG.warn("ONNX Runtime: setenv({}) failed; its telemetry stays on", DISABLE_TELEMETRY);
      }
    } catch (LinkageError | RuntimeException e) {
      LOG.warn(
          "ONNX Runtime: cannot set {} ({}); set it in the environment to keep its telemetry off",
          DISABLE_TELEMETRY,
          e.toString());
    }
  }
}
