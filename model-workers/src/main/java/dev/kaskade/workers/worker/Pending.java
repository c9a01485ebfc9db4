package dev.kaskade.workers.worker;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.batch.BatchRunner;
import dev.kaskade.workers.batch.TensorBatching;
import dev.kaskade.workers.worker.ResponseWriter.Caller;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** A decoded request on its way through a revision worker. */
record Pending(
    ConsumerRecord<byte[], byte[]> record,
    InferenceRequest request,
    Caller caller,
    long deadlineMs,
    LoadedModel model) {

  TopicPartition partition() {
    return new TopicPartition(record.topic(), record.partition());
  }

  Pending withModel(LoadedModel loaded) {
    return new Pending(record, request, caller, deadlineMs, loaded);
  }

  /**
   * The same request with other input tensors (a V1 default name bound to the model's input). The
   * request was decoded for this Pending alone, so it is updated in place rather than deep-copied
   * with its tensor data.
   */
  Pending withInputs(java.util.List<dev.kaskade.events.Tensor> inputs) {
    if (inputs != request.getInputs()) {
      request.setInputs(inputs);
    }
    return this;
  }

  boolean expired(long nowMs) {
    return deadlineMs > 0 && nowMs > deadlineMs;
  }

  BatchRunner.Job job() {
    return new BatchRunner.Job(
        request.getInputs(), Set.copyOf(request.getRequestedOutputs()), deadlineMs);
  }

  long rows() {
    return Math.max(1, TensorBatching.rows(request.getInputs()));
  }

  /** Requests merge only for the same model and compatible tensors. */
  String mergeKey() {
    String tensors = TensorBatching.mergeKey(request.getInputs(), request.getRequestedOutputs());
    return tensors == null ? null : caller.model() + "|" + tensors;
  }
}
