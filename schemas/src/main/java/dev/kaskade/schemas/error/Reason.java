package dev.kaskade.schemas.error;

/**
 * Stable failure reasons. Each maps 1:1 to an HTTP status, a gRPC status code and the {@code code}
 * of an {@code InferenceError}; the same name is used as a dead-letter header value.
 */
public enum Reason {
  INVALID_ARGUMENT(400, 3),
  NOT_FOUND(404, 5),
  PAYLOAD_TOO_LARGE(413, 8),
  RESOURCE_EXHAUSTED(429, 8),
  INTERNAL(500, 13),
  UNIMPLEMENTED(501, 12),
  UNAVAILABLE(503, 14),
  DEADLINE_EXCEEDED(504, 4),
  DESERIALIZATION_FAILED(400, 3),
  /** No valid credentials (gateway authentication). */
  UNAUTHENTICATED(401, 16),
  /** Valid credentials that the authorization policy does not allow for the call. */
  PERMISSION_DENIED(403, 7);

  private final int httpStatus;
  private final int grpcCode;

  Reason(int httpStatus, int grpcCode) {
    this.httpStatus = httpStatus;
    this.grpcCode = grpcCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The numeric {@code io.grpc.Status.Code} / {@code google.rpc.Code} value. */
  public int grpcCode() {
    return grpcCode;
  }

  /**
   * The reason an HTTP status stands for (the first declared one when several share it, e.g. 400 is
   * INVALID_ARGUMENT); statuses without a reason become INTERNAL.
   */
  public static Reason fromHttpStatus(int status) {
    for (Reason reason : values()) {
      if (reason.httpStatus == status) {
        return reason;
      }
    }
    return INTERNAL;
  }

  /** The reason for an {@code InferenceError.code}; unknown codes become INTERNAL. */
  public static Reason fromCode(String code) {
    if (code == null) {
      return INTERNAL;
    }
    try {
      return valueOf(code);
    } catch (IllegalArgumentException e) {
      return INTERNAL;
    }
  }
}
