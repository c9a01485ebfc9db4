package dev.kaskade.schemas.graph;

/**
 * Per-node rules of an InferenceGraph that the reconciler's validation (apply, webhook) and the
 * graph router's own parse must both apply, kept here next to {@link GraphCycles} so the two cannot
 * drift. Pure.
 */
public final class GraphRules {
  /** Longest step condition; conditions are evaluated on caller data for every request. */
  public static final int MAX_CONDITION_LENGTH = 1024;

  private GraphRules() {}

  /** A node needs at least one step (a node without one has nothing to route to). */
  public static boolean hasSteps(int steps) {
    return steps > 0;
  }

  /** Whether a condition is over {@link #MAX_CONDITION_LENGTH}; no condition is never too long. */
  public static boolean conditionTooLong(String condition) {
    return condition != null && condition.length() > MAX_CONDITION_LENGTH;
  }

  /** A Switch step needs a condition: KServe's router never routes to a Switch step without one. */
  public static boolean lacksNeededCondition(String routerType, String condition) {
    return "Switch".equals(routerType) && (condition == null || condition.isBlank());
  }
}
