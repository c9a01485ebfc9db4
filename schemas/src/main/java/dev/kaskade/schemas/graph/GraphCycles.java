package dev.kaskade.schemas.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cycles among the nodes of an InferenceGraph ({@code nodeName} steps). One place for the rule, so
 * that the reconciler's validation (apply, webhook) and the graph router's own parse reject the
 * same graphs. Iterative, so that a long chain of nodes cannot overflow the stack of the checker.
 */
public final class GraphCycles {
  private GraphCycles() {}

  /**
   * The first cycle found, as the node names along it with the first repeated at the end (e.g.
   * {@code [root, a, root]}); empty when the nodes form a DAG. Edges to unknown nodes are ignored.
   *
   * @param edges node name to the node names its steps call, in step order
   */
  public static Optional<List<String>> find(Map<String, ? extends Collection<String>> edges) {
    Map<String, Boolean> done = new HashMap<>(); // false: on the current path, true: finished
    for (String start : edges.keySet()) {
      if (done.containsKey(start)) {
        continue;
      }
      Optional<List<String>> cycle = walk(start, edges, done);
      if (cycle.isPresent()) {
        return cycle;
      }
    }
    return Optional.empty();
  }

  /** Depth-first from start with an explicit stack of (node, remaining successors). */
  private static Optional<List<String>> walk(
      String start, Map<String, ? extends Collection<String>> edges, Map<String, Boolean> done) {
    Deque<Map.Entry<String, Iterator<String>>> stack = new ArrayDeque<>();
    push(start, edges, done, stack);
    while (!stack.isEmpty()) {
      Map.Entry<String, Iterator<String>> top = stack.peek();
      if (!top.getValue().hasNext()) {
        done.put(top.getKey(), true);
        stack.pop();
        continue;
      }
      String next = top.getValue().next();
      if (!edges.containsKey(next)) {
        continue;
      }
      Boolean state = done.get(next);
      if (state == null) {
        push(next, edges, done, stack);
      } else if (!state) {
        return Optional.of(path(stack, next));
      }
    }
    return Optional.empty();
  }

  private static void push(
      String node,
      Map<String, ? extends Collection<String>> edges,
      Map<String, Boolean> done,
      Deque<Map.Entry<String, Iterator<String>>> stack) {
    done.put(node, false);
    stack.push(Map.entry(node, List.copyOf(edges.get(node)).iterator()));
  }

  /** The stack from the repeated node up to the top, closed with that node. */
  private static List<String> path(Deque<Map.Entry<String, Iterator<String>>> stack, String to) {
    List<String> path = new ArrayList<>();
    Iterator<Map.Entry<String, Iterator<String>>> fromBottom = stack.descendingIterator();
    boolean on = false;
    while (fromBottom.hasNext()) {
      String node = fromBottom.next().getKey();
      on |= node.equals(to);
      if (on) {
        path.add(node);
      }
    }
    path.add(to);
    return path;
  }

  /** A cycle as text: {@code root -> a -> root}. */
  public static String describe(List<String> cycle) {
    return String.join(" -> ", cycle);
  }
}
