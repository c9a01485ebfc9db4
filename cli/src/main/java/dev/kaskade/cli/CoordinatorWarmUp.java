package dev.kaskade.cli;

import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * Has a fresh embedded broker create the topics of its transaction and group coordinators while the
 * rest of {@code kaskade up} starts, instead of when the first component needs them.
 *
 * <p>Why: a broker creates {@code __transaction_state} and {@code __consumer_offsets} on the first
 * request for such a coordinator and answers "not available" until they are loaded; the client asks
 * again with a growing backoff. At {@code up}'s start that first request came from the payload
 * logger's first transaction, and its producer waited ~0.9 s for its coordinator (measured: {@code
 * InitProducerId} to {@code Discovered transaction coordinator}), the longest single wait before
 * the ready line (docs/performance.md, change 20).
 *
 * <p>Asking for the coordinator of an id nobody uses creates the topic. The answers are not
 * awaited: the admin client retries on its own, and the components ask again anyway.
 */
final class CoordinatorWarmUp {
  static final String UNUSED_ID = "kaskade-coordinator-warm-up";

  private CoordinatorWarmUp() {}

  /** Starts the transaction coordinator's topic; returns at once. */
  static void transactions(Admin admin) {
    admin.describeTransactions(List.of(UNUSED_ID));
  }

  /** Starts the group coordinator's topic; returns at once. */
  static void groups(Admin admin) {
    admin.describeConsumerGroups(List.of(UNUSED_ID));
  }
}
