package dev.kaskade.schemas.registry;

/** A failure answered by a schema registry, with Confluent's {@code error_code}. */
public class SchemaRegistryException extends RuntimeException {
  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
  public static final int STORE_ERROR = 50001;
  public static final int OPERATION_TIMEOUT = 50002;

  /** Client side only: no registry answered (connection refused, timeout) after all retries. */
  public static final int UNREACHABLE = -1;

  private final int errorCode;
  private final int httpStatus;

  public SchemaRegistryException(int httpStatus, int errorCode, String message) {
    super(message + " (error_code " + errorCode + ")");
    this.errorCode = errorCode;
    this.httpStatus = httpStatus;
  }

  public int errorCode() {
    return errorCode;
  }

  /** The HTTP status the registry answered, 0 when none answered. */
  public int httpStatus() {
    return httpStatus;
  }

  /** True when the registry answered "this schema id does not exist". */
  public boolean isSchemaNotFound() {
    return errorCode == SCHEMA_NOT_FOUND;
  }
}
