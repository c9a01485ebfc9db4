package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.ServingRuntimeSpec;
import java.time.Instant;

/**
 * A ServingRuntime or ClusterServingRuntime that auto-selection may pick.
 *
 * @param name runtime name
 * @param namespace its namespace; ignored for cluster runtimes
 * @param clusterScoped true for a ClusterServingRuntime
 * @param spec the runtime spec
 * @param created creation time (newer ranks first), or null
 */
public record RuntimeCandidate(
    String name,
    String namespace,
    boolean clusterScoped,
    ServingRuntimeSpec spec,
    Instant created) {}
