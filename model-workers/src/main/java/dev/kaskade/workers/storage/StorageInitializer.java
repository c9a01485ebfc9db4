package dev.kaskade.workers.storage;

import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Turns a KServe {@code storageUri} into a local file or directory (the role of KServe's
 * storage-initializer init container, in-process).
 *
 * <ul>
 *   <li>plain paths ({@code /models/x.onnx}, {@code ./model.onnx} relative to {@link
 *       StorageSettings#baseDir()}) and {@code file://} URIs: used in place;
 *   <li>{@code pvc://claim/path}: {@link StorageSettings#pvcMountRoot()}{@code /claim/path}, used
 *       in place;
 *   <li>{@code http://}, {@code https://}: downloaded; {@code .tar.gz}, {@code .tgz}, {@code .tar}
 *       and {@code .zip} are unpacked; an optional sha256 comes from the fragment {@code
 *       #sha256=<hex>} or the annotation {@value #SHA256_ANNOTATION};
 *   <li>{@code s3://bucket/prefix}: every object under the prefix is downloaded (see {@link
 *       S3Settings} for the endpoint, region and credential settings);
 *   <li>{@code gs://bucket/prefix} ({@link GcsFetcher}), Azure Blob {@code
 *       https://<account>.blob.core.windows.net/<container>/<path>} ({@link AzureBlobFetcher}),
 *       {@code hf://org/repo[@revision]} ({@link HfFetcher}) and {@code oci://registry/repo:tag}
 *       ({@link OciFetcher}): downloaded with the checksums each protocol gives.
 * </ul>
 *
 * <p>Downloads go to a temporary directory under {@link StorageSettings#cacheDir()}, are verified,
 * then renamed into place, so a cache entry is either complete or absent. Concurrent callers for
 * the same URI share one download. Network and server errors are retried with exponential backoff;
 * 404, access denied, checksum mismatches and unsupported schemes fail at once with a {@link
 * StorageException} whose message is the FailedToLoad reason.
 *
 * <pre>{@code
 * Path local = StorageInitializer.resolve(uri, StorageSettings.defaults(cacheDir), annotations);
 * }</pre>
 */
public final class StorageInitializer {
  /** Annotation carrying the expected sha256 of an http(s) download (hex). */
  public static final String SHA256_ANNOTATION = "kaskade.dev/sha256";

  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://.*");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final String RESOLVED_FILE = "resolved";
  private static final String CONTENT_DIR = "content";
  private static final String DIGEST_FILE = "sha256";
  private static final ConcurrentHashMap<String, CompletableFuture<Path>> IN_FLIGHT =
      new ConcurrentHashMap<>();

  private StorageInitializer() {}

  /**
   * Resolves a storage URI to a local path (a file, or a directory holding the model).
   *
   * @param storageUri the InferenceService / TrainedModel storageUri
   * @param settings cache dir, PVC root, env lookup, retries
   * @param annotations the resource's (or its ServiceAccount's) annotations, for S3 settings and
   *     {@value #SHA256_ANNOTATION}
   */
  public static Path resolve(
      String storageUri, StorageSettings settings, Map<String, String> annotations)
      throws StorageException {
    Map<String, String> notes = annotations == null ? Map.of() : annotations;
    if (storageUri == null || storageUri.isBlank()) {
      throw new StorageException(Kind.INVALID_URI, "storageUri is empty");
    }
    String uri = storageUri.trim();
    var matcher = SCHEME.matcher(uri);
    if (!matcher.matches()) {
      return existing(settings.baseDir().resolve(uri).normalize(), uri);
    }
    String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
    if (scheme.equals("https") && AzureBlobFetcher.matches(uri)) {
      scheme = "azure"; // https://<account>.blob.core.windows.net/…, as KServe recognises it
    }
    return switch (scheme) {
      case "file" -> existing(filePath(uri, settings), uri);
      case "pvc" -> existing(pvcPath(uri, settings), uri);
      case "http", "https", "s3", "hf", "oci", "gs", "azure" ->
          download(uri, scheme, settings, notes);
      default ->
          throw new StorageException(
              Kind.UNSUPPORTED_SCHEME,
              "unsupported storage URI scheme '"
                  + scheme
                  + "://' in "
                  + Redact.uri(uri)
                  + "; supported: local paths, file://, pvc://, http://, https://, s3://, gs://, hf://,"
                  + " oci://");
    };
  }

  private static Path filePath(String uri, StorageSettings settings) throws StorageException {
    String rest = uri.substring("file://".length());
    if (rest.isEmpty()) {
      throw new StorageException(Kind.INVALID_URI, "file:// URI has no path: " + uri);
    }
    Path path = Path.of(rest);
    return path.isAbsolute() ? path.normalize() : settings.baseDir().resolve(path).normalize();
  }

  private static Path pvcPath(String uri, StorageSettings settings) throws StorageException {
    String rest = uri.substring("pvc://".length());
    int slash = rest.indexOf('/');
    String claim = slash < 0 ? rest : rest.substring(0, slash);
    String sub = slash < 0 ? "" : rest.substring(slash + 1);
    if (claim.isEmpty()) {
      throw new StorageException(Kind.INVALID_URI, "pvc:// URI has no claim name: " + uri);
    }
    Path root = settings.pvcMountRoot().resolve(claim).normalize();
    Path path = root.resolve(sub).normalize();
    if (!path.startsWith(root)) {
      throw new StorageException(Kind.INVALID_URI, "pvc:// path escapes the claim: " + uri);
    }
    return path;
  }

  private static Path existing(Path path, String uri) throws StorageException {
    if (!Files.exists(path)) {
      throw new StorageException(Kind.NOT_FOUND, "model path " + path + " (" + uri + ") not found");
    }
    return path;
  }

  private static Path download(
      String uri, String scheme, StorageSettings settings, Map<String, String> annotations)
      throws StorageException {
    // only a single http(s) body has one digest to compare; the other schemes check their own
    boolean single = scheme.equals("http") || scheme.equals("https");
    String expected = single ? expectedSha256(uri, annotations) : null;
    if (scheme.equals("http")) {
      requireIntegrity(uri, expected, settings.policy());
    }
    String identity =
        sourceIdentity(uri, scheme, settings, annotations)
            + ";sha256="
            + (expected == null ? "" : expected);
    Path entry = settings.cacheDir().resolve(cacheKey(uri, identity)).toAbsolutePath();
    Path cached = verifiedResult(entry, expected);
    if (cached != null) {
      return cached;
    }
    String key = entry.toString();
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> running = IN_FLIGHT.putIfAbsent(key, mine);
    if (running != null) {
      return await(running);
    }
    try {
      Path result = verifiedResult(entry, expected);
      if (result == null) {
        result = fetchIntoCache(uri, scheme, entry, settings, annotations, expected);
      }
      mine.complete(result);
      return result;
    } catch (StorageException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      IN_FLIGHT.remove(key, mine);
    }
  }

  /**
   * The cached result when the entry is complete and, if a digest is now required, its recorded
   * digest equals it; an entry that fails that check is deleted so that it is downloaded again.
   */
  private static Path verifiedResult(Path entry, String expectedSha256) throws StorageException {
    Path result = cachedResult(entry);
    if (result == null || expectedSha256 == null) {
      return result;
    }
    Path digest = entry.resolve(DIGEST_FILE);
    try {
      if (Files.isRegularFile(digest)
          && expectedSha256.equals(Files.readString(digest, StandardCharsets.UTF_8).trim())) {
        return result;
      }
      deleteRecursively(entry);
      return null;
    } catch (IOException e) {
      throw new StorageException(Kind.IO, "cannot check cache entry " + entry + ": " + e, e);
    }
  }

  /**
   * Plain http is accepted only with a sha256, to a loopback host, or when the operator turned on
   * {@value StoragePolicy#ALLOW_INSECURE_HTTP}: otherwise a man in the middle picks the model bytes
   * that native parsers then read.
   */
  static void requireIntegrity(String uri, String expectedSha256, StoragePolicy policy)
      throws StorageException {
    if (expectedSha256 != null || policy.allowInsecureHttp()) {
      return;
    }
    URI target;
    try {
      target = URI.create(uri.replaceAll("#.*$", ""));
    } catch (IllegalArgumentException e) {
      throw new StorageException(Kind.INVALID_URI, "malformed URI " + Redact.uri(uri));
    }
    if (HostGuard.isLoopback(target)) {
      return;
    }
    HostGuard.check(target, policy); // a denied host reports that, not the missing checksum
    throw new StorageException(
        Kind.FORBIDDEN,
        "refusing unverified plain-http download of "
            + Redact.uri(target)
            + ": use https://, give a sha256 (annotation "
            + SHA256_ANNOTATION
            + " or #sha256=<hex>), or set "
            + StoragePolicy.ALLOW_INSECURE_HTTP
            + "=true");
  }

  private static Path await(CompletableFuture<Path> future) throws StorageException {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof StorageException se) {
        throw new StorageException(se.kind(), se.getMessage(), se);
      }
      throw new StorageException(Kind.IO, "download failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Where a scheme's bytes come from (endpoint, account), so that no two sources share an entry.
   */
  private static String sourceIdentity(
      String uri, String scheme, StorageSettings settings, Map<String, String> annotations) {
    return switch (scheme) {
      case "s3" -> S3Settings.from(settings, annotations).cacheIdentity();
      case "hf" -> "endpoint=" + HfFetcher.endpoint(settings);
      case "gs" -> GcsFetcher.cacheIdentity(settings);
      case "azure" -> AzureBlobFetcher.cacheIdentity(uri, settings);
      default -> "";
    };
  }

  private static Path fetchIntoCache(
      String uri,
      String scheme,
      Path entry,
      StorageSettings settings,
      Map<String, String> annotations,
      String expectedSha256)
      throws StorageException {
    Path tmp = entry.resolveSibling(".tmp-" + entry.getFileName() + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      Path content = Files.createDirectories(tmp.resolve(CONTENT_DIR));
      HttpFetcher.Fetched fetched =
          switch (scheme) {
            case "s3" ->
                new HttpFetcher.Fetched(S3Fetcher.fetch(uri, content, settings, annotations), null);
            case "hf" -> new HttpFetcher.Fetched(HfFetcher.fetch(uri, content, settings), null);
            case "oci" -> new HttpFetcher.Fetched(OciFetcher.fetch(uri, content, settings), null);
            case "gs" -> new HttpFetcher.Fetched(GcsFetcher.fetch(uri, content, settings), null);
            case "azure" ->
                new HttpFetcher.Fetched(AzureBlobFetcher.fetch(uri, content, settings), null);
            default -> HttpFetcher.fetch(uri, content, settings, expectedSha256);
          };
      if (fetched.sha256() != null) {
        Files.writeString(tmp.resolve(DIGEST_FILE), fetched.sha256(), StandardCharsets.UTF_8);
      }
      String relative = tmp.relativize(fetched.path()).toString().replace('\\', '/');
      Files.writeString(tmp.resolve(RESOLVED_FILE), relative, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Another process finished the same download first; use its copy.
        deleteRecursively(tmp);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, entry);
      }
      Path result = cachedResult(entry);
      if (result == null) {
        throw new StorageException(Kind.IO, "cache entry " + entry + " is incomplete");
      }
      return result;
    } catch (IOException e) {
      throw new StorageException(Kind.IO, "cannot write model cache " + entry + ": " + e, e);
    } finally {
      if (Files.exists(tmp)) {
        try {
          deleteRecursively(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  private static Path cachedResult(Path entry) throws StorageException {
    Path marker = entry.resolve(RESOLVED_FILE);
    if (!Files.isRegularFile(marker)) {
      return null;
    }
    try {
      Path result = entry.resolve(Files.readString(marker, StandardCharsets.UTF_8).trim());
      return Files.exists(result) ? result : null;
    } catch (IOException e) {
      throw new StorageException(Kind.IO, "cannot read cache entry " + entry + ": " + e, e);
    }
  }

  static String expectedSha256(String uri, Map<String, String> annotations)
      throws StorageException {
    String expected = null;
    int hash = uri.indexOf('#');
    if (hash >= 0) {
      String fragment = uri.substring(hash + 1);
      if (fragment.startsWith("sha256=")) {
        expected = fragment.substring("sha256=".length());
      }
    }
    if (expected == null) {
      expected = annotations.get(SHA256_ANNOTATION);
    }
    if (expected == null || expected.isBlank()) {
      return null;
    }
    expected = expected.trim();
    if (!SHA256_HEX.matcher(expected).matches()) {
      throw new StorageException(
          Kind.INVALID_URI, "expected sha256 '" + expected + "' is not 64 hex digits");
    }
    return expected.toLowerCase(Locale.ROOT);
  }

  /**
   * Cache directory name: a readable tail of the URI plus a hash of the whole URI and {@code
   * identity} (the S3 endpoint and access key id, the expected sha256), so that one URI fetched
   * from different places, with different credentials or under a different checksum never shares an
   * entry.
   */
  static String cacheKey(String uri, String identity) {
    String tail = uri.replaceAll("#.*$", "").replaceAll("[^A-Za-z0-9._-]+", "_");
    if (tail.length() > 60) {
      tail = tail.substring(tail.length() - 60);
    }
    String keyed = uri + "\n" + identity;
    return tail + "-" + sha256Hex(keyed.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code action} up to {@code maxAttempts} times while it fails with a retryable error. */
  static <T> T withRetries(StorageSettings settings, String what, IoAction<T> action)
      throws StorageException {
    long backoff = Math.max(0, settings.initialBackoff().toMillis());
    for (int attempt = 1; ; attempt++) {
      try {
        return action.run();
      } catch (StorageException e) {
        if (!e.retryable() || attempt >= settings.maxAttempts()) {
          if (e.retryable() && settings.maxAttempts() > 1) {
            throw new StorageException(
                e.kind(), e.getMessage() + " (after " + attempt + " attempts)", e);
          }
          throw e;
        }
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new StorageException(Kind.IO, what + " interrupted");
      }
      backoff = Math.min(backoff * 2, 10_000);
    }
  }

  /** One download attempt. */
  @FunctionalInterface
  interface IoAction<T> {
    T run() throws StorageException;
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The last path segment of a URI without query or fragment, or {@code fallback}. */
  static String fileName(URI uri, String fallback) {
    String path = uri.getPath();
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      return fallback;
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.isEmpty() ? fallback : name;
  }
}
