package dev.kaskade.workers.batch;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs one planned batch: merges the members' inputs, executes once, splits the outputs back. When
 * the merged execution fails, each member is retried alone so a bad request fails only itself.
 */
public final class BatchRunner {
  private BatchRunner() {}

  /** One request's part of a batch; {@code deadlineMs} is epoch millis, 0 when none. */
  public record Job(List<Tensor> inputs, Set<String> requestedOutputs, long deadlineMs) {
    public Job {
      inputs = List.copyOf(inputs);
      requestedOutputs = Set.copyOf(requestedOutputs);
    }

    public Job(List<Tensor> inputs, Set<String> requestedOutputs) {
      this(inputs, requestedOutputs, 0);
    }
  }

  /** The result for one member. */
  public sealed interface Outcome {
    /** Outputs of this member; {@code batchSize} requests shared the execution. */
    record Success(List<Tensor> outputs, int batchSize, long computeMicros) implements Outcome {}

    /** The member failed; the error is its answer. */
    record Failure(KaskadeException error) implements Outcome {}
  }

  /** Runs the jobs (all sharing one merge key when more than one) and returns one outcome each. */
  public static List<Outcome> run(LoadedModel model, List<Job> jobs) {
    if (jobs.size() == 1) {
      return List.of(runAlone(model, jobs.get(0)));
    }
    long[] rows = jobs.stream().mapToLong(j -> TensorBatching.rows(j.inputs())).toArray();
    long start = System.nanoTime();
    try {
      List<Tensor> merged = TensorBatching.merge(jobs.stream().map(Job::inputs).toList());
      List<Tensor> outputs =
          model.infer(merged, jobs.get(0).requestedOutputs(), earliestDeadline(jobs));
      long micros = (System.nanoTime() - start) / 1000;
      List<List<Tensor>> split = TensorBatching.split(outputs, rows);
      List<Outcome> outcomes = new ArrayList<>(jobs.size());
      for (List<Tensor> part : split) {
        outcomes.add(new Outcome.Success(part, jobs.size(), micros));
      }
      return outcomes;
    } catch (InferenceFailure | RuntimeException e) {
      List<Outcome> outcomes = new ArrayList<>(jobs.size());
      for (Job job : jobs) {
        outcomes.add(
            sharedFailure(e)
                ? new Outcome.Failure((KaskadeException) e)
                : Thread.currentThread().isInterrupted()
                    ? new Outcome.Failure(
                        new KaskadeException(Reason.UNAVAILABLE, "worker stopping"))
                    : runAlone(model, job));
      }
      return outcomes;
    }
  }

  /**
   * A failure that is no request's fault (a remote model server unavailable or too slow) answers
   * every member at once: retrying each alone would only repeat it and outrun the deadlines.
   */
  private static boolean sharedFailure(Exception e) {
    return e instanceof KaskadeException k
        && (k.reason() == Reason.UNAVAILABLE || k.reason() == Reason.DEADLINE_EXCEEDED);
  }

  /** A merged execution must end by the earliest deadline of its members (0 = none). */
  static long earliestDeadline(List<Job> jobs) {
    return jobs.stream().mapToLong(Job::deadlineMs).filter(d -> d > 0).min().orElse(0);
  }

  private static Outcome runAlone(LoadedModel model, Job job) {
    long start = System.nanoTime();
    try {
      List<Tensor> outputs = model.infer(job.inputs(), job.requestedOutputs(), job.deadlineMs());
      return new Outcome.Success(outputs, 1, (System.nanoTime() - start) / 1000);
    } catch (KaskadeException e) {
      return new Outcome.Failure(e);
    } catch (InferenceFailure | RuntimeException e) {
      return new Outcome.Failure(
          new KaskadeException(Reason.INTERNAL, "inference failed: " + e.getMessage(), e));
    }
  }
}
