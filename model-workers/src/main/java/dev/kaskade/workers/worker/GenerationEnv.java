package dev.kaskade.workers.worker;

import dev.kaskade.events.GenerationEvent;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.workers.generation.CancelWatch;

/**
 * What the generation path of every revision worker shares.
 *
 * @param cancels the cancel broadcast, followed once per worker instance
 * @param events GenerationEvent serializer
 * @param coalesceMs how long later deltas of a stream are merged into one event
 * @param defaultMaxTokens max_tokens when the request has none
 * @param maxTokensLimit the most tokens any request may ask for
 */
public record GenerationEnv(
    CancelWatch cancels,
    AvroSerializer<GenerationEvent> events,
    long coalesceMs,
    int defaultMaxTokens,
    int maxTokensLimit) {}
