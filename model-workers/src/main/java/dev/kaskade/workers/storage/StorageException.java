package dev.kaskade.workers.storage;

/**
 * A model could not be fetched. {@link #getMessage()} is the reason for a {@code FailedToLoad}
 * status; {@link #kind()} classifies it.
 */
public class StorageException extends Exception {
  /** What went wrong. */
  public enum Kind {
    /** The URI is empty or malformed. */
    INVALID_URI,
    /** The scheme is not supported (gs://, hdfs://, …). */
    UNSUPPORTED_SCHEME,
    /** Nothing at that location (HTTP 404, no S3 object, missing local path). */
    NOT_FOUND,
    /** Credentials refused (HTTP 401/403, S3 AccessDenied/InvalidAccessKeyId). */
    ACCESS_DENIED,
    /** The download's sha256 differs from the expected one. */
    CHECKSUM_MISMATCH,
    /** The operator's settings refuse it (a denied host, a cross-host redirect, an S3 endpoint). */
    FORBIDDEN,
    /** Larger than the operator's limits (downloaded or extracted bytes, entries). */
    TOO_LARGE,
    /** Network or disk failure that persisted through the retries. */
    IO
  }

  private final Kind kind;

  public StorageException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StorageException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether trying again might help (network and server errors). */
  public boolean retryable() {
    return kind == Kind.IO;
  }
}
