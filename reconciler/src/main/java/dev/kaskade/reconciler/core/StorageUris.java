package dev.kaskade.reconciler.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Storage URI schemes: which KServe accepts, which Kaskade's storage initializer can serve. */
public final class StorageUris {
  /** Schemes KServe's storage initializer accepts (a URI without one is a plain path). */
  public static final List<String> ACCEPTED =
      List.of(
          "file",
          "pvc",
          "http",
          "https",
          "s3",
          "gs",
          "hdfs",
          "webhdfs",
          "oci",
          "oci+native",
          "oci+fetch",
          "hf");

  /** Schemes Kaskade's workers download from; the rest are accepted but reported unservable. */
  public static final Set<String> SERVABLE =
      Set.of("file", "pvc", "http", "https", "s3", "gs", "hf", "oci");

  private StorageUris() {}

  /** The scheme in lower case, or empty for a plain path. */
  public static Optional<String> scheme(String uri) {
    int colon = uri.indexOf("://");
    if (colon <= 0) {
      return Optional.empty();
    }
    return Optional.of(uri.substring(0, colon).toLowerCase(Locale.ROOT));
  }

  /** An error text if KServe would reject the URI, else empty. */
  public static Optional<String> validate(String uri) {
    if (uri.isBlank()) {
      return Optional.of("must not be empty");
    }
    return scheme(uri)
        .filter(s -> !ACCEPTED.contains(s))
        .map(
            s ->
                "unsupported scheme '"
                    + s
                    + "' (supported: "
                    + String.join(", ", ACCEPTED)
                    + " or a plain path)");
  }

  public static boolean servable(String uri) {
    return scheme(uri).map(SERVABLE::contains).orElse(true);
  }

  /**
   * Standalone convenience: a relative plain path ({@code ./model.onnx}) resolves against the
   * manifest's directory and becomes a {@code file://} URI; anything else is returned unchanged.
   */
  public static String resolve(String uri, Path baseDir) {
    if (uri == null || baseDir == null || scheme(uri).isPresent()) {
      return uri;
    }
    Path path = Path.of(uri);
    if (path.isAbsolute()) {
      return uri;
    }
    return baseDir.resolve(path).toAbsolutePath().normalize().toUri().toString();
  }
}
