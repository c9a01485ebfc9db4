package dev.kaskade.workers.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where and how the storage initializer works.
 *
 * @param cacheDir downloads land under here (one sub-directory per URI)
 * @param pvcMountRoot {@code pvc://claim/path} maps to {@code pvcMountRoot/claim/path}
 * @param baseDir relative local paths ({@code ./model.onnx}) resolve against this
 * @param env environment lookup (AWS_ACCESS_KEY_ID, S3_ENDPOINT, …); injectable for tests
 * @param maxAttempts tries per download (network and 5xx errors only)
 * @param initialBackoff wait before the second try; doubles each time
 * @param connectTimeout connect timeout for HTTP and S3
 * @param readTimeout read timeout for HTTP and S3
 * @param policy the operator's limits and host lists
 */
public record StorageSettings(
    Path cacheDir,
    Path pvcMountRoot,
    Path baseDir,
    Function<String, String> env,
    int maxAttempts,
    Duration initialBackoff,
    Duration connectTimeout,
    Duration readTimeout,
    StoragePolicy policy) {

  public static final Path DEFAULT_PVC_MOUNT_ROOT = Path.of("/mnt/pvc");

  public StorageSettings {
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(pvcMountRoot, "pvcMountRoot");
    Objects.requireNonNull(baseDir, "baseDir");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(policy, "policy");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
  }

  /**
   * Defaults: PVCs under /mnt/pvc, relative paths against the working directory, the process
   * environment, 3 attempts from 200 ms backoff, 15 s connect and 30 s read timeouts (KServe's
   * S3_CONNECT_TIMEOUT / S3_READ_TIMEOUT defaults).
   */
  public static StorageSettings defaults(Path cacheDir) {
    return new StorageSettings(
        cacheDir,
        DEFAULT_PVC_MOUNT_ROOT,
        Path.of("").toAbsolutePath(),
        System::getenv,
        3,
        Duration.ofMillis(200),
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        StoragePolicy.DEFAULT);
  }

  public StorageSettings withPolicy(StoragePolicy p) {
    return new StorageSettings(
        cacheDir,
        pvcMountRoot,
        baseDir,
        env,
        maxAttempts,
        initialBackoff,
        connectTimeout,
        readTimeout,
        p);
  }

  public StorageSettings withPvcMountRoot(Path root) {
    return new StorageSettings(
        cacheDir,
        root,
        baseDir,
        env,
        maxAttempts,
        initialBackoff,
        connectTimeout,
        readTimeout,
        policy);
  }

  public StorageSettings withBaseDir(Path dir) {
    return new StorageSettings(
        cacheDir,
        pvcMountRoot,
        dir,
        env,
        maxAttempts,
        initialBackoff,
        connectTimeout,
        readTimeout,
        policy);
  }

  public StorageSettings withEnv(Function<String, String> lookup) {
    return new StorageSettings(
        cacheDir,
        pvcMountRoot,
        baseDir,
        lookup,
        maxAttempts,
        initialBackoff,
        connectTimeout,
        readTimeout,
        policy);
  }

  public StorageSettings withRetries(int attempts, Duration backoff) {
    return new StorageSettings(
        cacheDir,
        pvcMountRoot,
        baseDir,
        env,
        attempts,
        backoff,
        connectTimeout,
        readTimeout,
        policy);
  }
}
