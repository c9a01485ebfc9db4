package dev.kaskade.workers.worker;

import dev.kaskade.workers.generation.GenerativeModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs generations off the consumer thread, at most {@code maxConcurrent()} of the model at once;
 * the rest wait here and the worker pauses its partitions while any wait ({@link #full}). Finished
 * jobs come back through {@link #drain} with the acknowledgements their offset commit waits for.
 * Everything but the job threads runs on the consumer thread.
 */
final class GenerationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(GenerationRunner.class);

  /** A finished generation: commit {@code offset} once {@code acks} completed. */
  record Done(TopicPartition partition, long offset, List<Future<RecordMetadata>> acks) {}

  private record Queued(Pending pending, GenerativeModel model) {}

  private final GenerationJob job;
  private final ArrayDeque<Queued> queued = new ArrayDeque<>();
  private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
  private int running;
  private int limit = Integer.MAX_VALUE;

  GenerationRunner(GenerationJob job) {
    this.job = job;
  }

  void submit(Pending pending, GenerativeModel model) {
    limit = Math.max(1, model.generator().maxConcurrent());
    queued.add(new Queued(pending, model));
    startQueued();
  }

  /** True while every slot is busy: the worker stops fetching. */
  boolean full() {
    return !queued.isEmpty() || running >= limit;
  }

  List<Done> drain() {
    List<Done> out = new ArrayList<>();
    Done d;
    while ((d = done.poll()) != null) {
      out.add(d);
      running--;
    }
    startQueued();
    return out;
  }

  /** Drops waiting requests of revoked partitions (their new owner re-reads them). */
  void forget(Collection<TopicPartition> partitions) {
    queued.removeIf(q -> partitions.contains(q.pending().partition()));
  }

  private void startQueued() {
    while (!queued.isEmpty() && running < limit) {
      Queued q = queued.poll();
      running++;
      Thread.ofVirtual()
          .name("generate-" + q.pending().caller().requestId())
          .start(() -> done.add(runOne(q)));
    }
  }

  private Done runOne(Queued q) {
    Pending p = q.pending();
    List<Future<RecordMetadata>> acks;
    try {
      acks = job.run(p, q.model());
    } catch (RuntimeException e) {
      LOG.error("generation {} failed unexpectedly", p.caller().requestId(), e);
      acks = List.of();
    }
    return new Done(p.partition(), p.record().offset(), acks);
  }
}
