package dev.kaskade.workers.worker;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.workers.metrics.WorkerMetrics;
import dev.kaskade.workers.status.StatusPublisher;
import org.apache.kafka.clients.producer.Producer;

/**
 * What every revision worker of one component shares: the context, one producer (responses, status,
 * dead letters), codecs, the loader, metrics, this instance's id and memory budget, and what the
 * generation path shares.
 */
public record WorkerEnv(
    KaskadeContext ctx,
    Producer<byte[], byte[]> producer,
    ResponseWriter responses,
    StatusPublisher status,
    AvroDeserializer<InferenceRequest> requests,
    ModelLoader loader,
    WorkerMetrics metrics,
    String instance,
    long memoryBudgetBytes,
    GenerationEnv generation) {
  public static final String DEAD_LETTER_COMPONENT = "model-workers";
}
