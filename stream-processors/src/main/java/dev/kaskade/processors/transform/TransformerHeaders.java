package dev.kaskade.processors.transform;

import dev.kaskade.schemas.kafka.KaskadeHeaders;

/**
 * Headers of the transformer hop. The worker honours {@link #RESPONSE_TOPIC}: when present it
 * writes the response there instead of {@code responses}; {@code kaskade-reply-to} is absent on the
 * predictor hop (moved to {@link #FINAL_REPLY_TO}), so the caller is answered only after
 * post-processing, which restores it.
 */
public final class TransformerHeaders {
  /** Where the predictor must write its response (the isvc's predictor-responses topic). */
  public static final String RESPONSE_TOPIC = KaskadeHeaders.RESPONSE_TOPIC;

  /** The caller's reply-to, parked while the request is at the predictor. */
  public static final String FINAL_REPLY_TO = KaskadeHeaders.FINAL_REPLY_TO;

  /** Internal: the destination topic of a record leaving a transformer processor. */
  public static final String ROUTE = "kaskade-route";

  private TransformerHeaders() {}
}
