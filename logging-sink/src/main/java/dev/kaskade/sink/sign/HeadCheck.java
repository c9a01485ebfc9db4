package dev.kaskade.sink.sign;

import dev.kaskade.sink.chain.AuditVerifier.BrokenLink;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * Compares what the chains of the store say with what the sink signed: the signed heads in the
 * store ({@code _heads/}) and the anchors published outside it. A chain that verifies link by link
 * can still have been rolled back to an earlier copy, truncated or re-computed; a signed head it no
 * longer contains, or contains with another chain value, shows it.
 *
 * @param ends every manifest end of every chain ("ns/isvc/pN" → last offset → end)
 * @param deleted chains a deletion marker names (their anchored heads may be gone)
 * @param publicKey the sink's public key, or null (signatures then go unchecked)
 * @param notes where remarks go
 */
public record HeadCheck(
    Map<String, NavigableMap<Long, End>> ends,
    Set<String> deleted,
    PublicKey publicKey,
    List<String> notes) {

  /**
   * The end of one file of a chain.
   *
   * @param lastChain the chain value there
   * @param count records of the chain up to there
   * @param genesis whether the chain's first stored file starts at the genesis value
   */
  public record End(String lastChain, long count, boolean genesis) {}

  /**
   * The first contradiction, or null.
   *
   * @param stored the signed heads found in the store
   * @param anchors the newest valid anchor of each partition, or null when none could be read
   */
  public BrokenLink check(List<SignedHeads> stored, List<SignedHeads> anchors) {
    Map<String, SignedHeads> byKey = new HashMap<>();
    for (SignedHeads h : stored) {
      BrokenLink broken = signature(h, "signed heads in the store");
      if (broken == null) {
        broken = heads(h, "the store's signed heads");
      }
      if (broken != null) {
        return broken;
      }
      byKey.put(h.anchorKey(), h);
    }
    if (anchors == null) {
      return null;
    }
    for (SignedHeads a : anchors) {
      BrokenLink broken = signature(a, "anchor");
      if (broken != null) {
        return broken;
      }
      SignedHeads local = byKey.get(a.anchorKey());
      if (local == null || local.sequence() < a.sequence()) {
        return new BrokenLink(
            "anchor " + a.describe(),
            a.nextOffset(),
            "the store was rolled back or truncated: the anchor is newer than the store's signed"
                + " heads ("
                + (local == null ? "none" : "#" + local.sequence())
                + ")");
      }
      broken = heads(a, "the anchor");
      if (broken != null) {
        return broken;
      }
    }
    return null;
  }

  private BrokenLink signature(SignedHeads h, String what) {
    if (publicKey == null || h.verifies(publicKey)) {
      return null;
    }
    return new BrokenLink(
        what + " " + h.describe(),
        h.nextOffset(),
        "signature does not verify with the public key: the heads were forged or re-signed with"
            + " another key (a re-computed chain)");
  }

  private BrokenLink heads(SignedHeads h, String what) {
    for (Map.Entry<String, SignedHeads.ChainHead> e : h.chains().entrySet()) {
      String chain = e.getKey() + "/p" + h.partition();
      SignedHeads.ChainHead head = e.getValue();
      NavigableMap<Long, End> chainEnds = ends.get(chain);
      End end = chainEnds == null ? null : chainEnds.get(head.lastOffset());
      if (end == null && deleted.contains(chain)) {
        notes.add(chain + ": " + what + " names data removed by `audit delete`");
        continue;
      }
      String where = "chain " + chain + ", " + what + " " + h.describe();
      if (end == null) {
        long last = chainEnds == null ? -1 : chainEnds.lastKey();
        return new BrokenLink(
            where,
            head.lastOffset(),
            (last < head.lastOffset() ? "the chain was truncated or rolled back" : "file missing")
                + ": signed head at offset "
                + head.lastOffset()
                + " is not in the store (its chain ends at offset "
                + last
                + ")");
      }
      if (!end.lastChain().equals(head.lastChain())) {
        return new BrokenLink(
            where,
            head.lastOffset(),
            "the chain was re-computed: its value at offset "
                + head.lastOffset()
                + " differs from the signed head");
      }
      if (head.count() >= 0 && end.genesis() && end.count() != head.count()) {
        return new BrokenLink(
            where,
            head.lastOffset(),
            "the chain holds " + end.count() + " records up to here, signed: " + head.count());
      }
    }
    return null;
  }
}
