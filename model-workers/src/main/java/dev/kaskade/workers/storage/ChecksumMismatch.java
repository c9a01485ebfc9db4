package dev.kaskade.workers.storage;

import java.io.IOException;

/**
 * A downloaded object whose bytes differ from the checksum its listing gave; an IOException so that
 * it leaves the stream-copying code, and mapped to {@code CHECKSUM_MISMATCH} by the fetcher.
 */
final class ChecksumMismatch extends IOException {
  ChecksumMismatch(String message) {
    super(message);
  }
}
