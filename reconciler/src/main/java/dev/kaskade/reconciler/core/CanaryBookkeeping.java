package dev.kaskade.reconciler.core;

import dev.kaskade.events.PredictorSpec;

/**
 * Canary rollout state across applies (KServe §9), decided when a spec is applied:
 *
 * <ul>
 *   <li>no canary percent, or 100: the new revision is promoted; it becomes {@code
 *       latestRolledoutRevision} and the earlier one moves to {@code previousRolledoutRevision}.
 *   <li>percent &lt; 100 with an earlier rolled-out revision: that revision is kept as {@code
 *       previous_predictor} and serves 100 − P percent; at 0 it serves everything (rollback).
 *   <li>percent &lt; 100 and nothing rolled out yet: the new revision takes all traffic.
 * </ul>
 */
public final class CanaryBookkeeping {
  /** Internal annotations that carry the rollout history in the control event. */
  public static final String LATEST_ROLLED_OUT = "internal.kaskade.dev/latest-rolledout-revision";

  public static final String PREVIOUS_ROLLED_OUT =
      "internal.kaskade.dev/previous-rolledout-revision";

  private CanaryBookkeeping() {}

  /**
   * What was rolled out before this apply.
   *
   * @param latest the predictor that served (the canary target) before, or null
   * @param previous the previous predictor kept for a canary before, or null
   * @param latestRolledOut the latestRolledoutRevision before, or null
   * @param previousRolledOut the previousRolledoutRevision before, or null
   */
  public record Before(
      PredictorSpec latest,
      PredictorSpec previous,
      String latestRolledOut,
      String previousRolledOut) {
    public static final Before NOTHING = new Before(null, null, null, null);
  }

  /**
   * The outcome for the new spec.
   *
   * @param previous the predictor kept for the canary split, or null (all traffic to latest)
   * @param latestRolledOut the new latestRolledoutRevision
   * @param previousRolledOut the new previousRolledoutRevision, or null
   */
  public record After(PredictorSpec previous, String latestRolledOut, String previousRolledOut) {}

  public static After next(Before before, PredictorSpec latest, Integer canaryPercent) {
    return next(before, latest, canaryPercent, true);
  }

  /**
   * As {@link #next(Before, PredictorSpec, Integer)}, but a promotion of a revision that is not
   * ready yet keeps the earlier rolled-out revision as {@code previous_predictor} (taking the
   * traffic, as at {@code canaryTrafficPercent: 0}) until it is; a re-plan once it reports Ready
   * completes the promotion. A revision that never becomes ready leaves traffic where it was.
   */
  public static After next(
      Before before, PredictorSpec latest, Integer canaryPercent, boolean latestReady) {
    String revision = latest.getRevision();
    boolean promote = canaryPercent == null || canaryPercent >= 100;
    PredictorSpec stable = stableBefore(before, revision);
    if ((promote && latestReady) || stable == null) {
      String previousRolledOut =
          before.latestRolledOut() != null && !revision.equals(before.latestRolledOut())
              ? before.latestRolledOut()
              : before.previousRolledOut();
      return new After(null, revision, previousRolledOut);
    }
    String previousRolledOut =
        stable.getRevision().equals(before.latestRolledOut())
            ? before.previousRolledOut()
            : before.latestRolledOut();
    return new After(stable, stable.getRevision(), previousRolledOut);
  }

  /** The revision that was serving the non-canary share before, if it differs from the new one. */
  private static PredictorSpec stableBefore(Before before, String revision) {
    if (before.previous() != null) {
      // Going back to the kept revision's spec makes it the only one again.
      return before.previous().getRevision().equals(revision) ? null : before.previous();
    }
    if (before.latest() != null && !before.latest().getRevision().equals(revision)) {
      return before.latest();
    }
    return null;
  }
}
