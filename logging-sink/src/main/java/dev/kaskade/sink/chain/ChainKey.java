package dev.kaskade.sink.chain;

import dev.kaskade.events.PayloadAuditRecord;

/**
 * A hash chain: the records of one InferenceService from one Kafka partition, in offset order.
 * Chains are per service (not only per partition) so that deleting a tenant's or a service's prefix
 * removes whole chains and leaves every other chain verifiable.
 */
public record ChainKey(String namespace, String isvc, int partition)
    implements Comparable<ChainKey> {

  public static ChainKey of(PayloadAuditRecord audit, int partition) {
    return new ChainKey(
        StoreLayout.safe(audit.getCeNamespace()),
        StoreLayout.safe(audit.getCeInferenceservicename()),
        partition);
  }

  @Override
  public int compareTo(ChainKey o) {
    int c = namespace.compareTo(o.namespace);
    if (c == 0) {
      c = isvc.compareTo(o.isvc);
    }
    return c != 0 ? c : Integer.compare(partition, o.partition);
  }

  @Override
  public String toString() {
    return namespace + "/" + isvc + "/p" + partition;
  }
}
