package dev.kaskade.workers.worker;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.monitor.FeatureRows;
import dev.kaskade.schemas.monitor.OutlierConfig;
import dev.kaskade.schemas.monitor.OutlierDetector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code outlier_score}/{@code outlier} response parameters of one revision, when its
 * InferenceService's monitor settings say {@code "outlier": {"response_parameter": true,
 * "reference": [...]}}. The detector is fitted once, when the revision starts. Inputs it cannot
 * score (non-numeric, another feature count) get no parameters and one WARN per revision; the
 * inference itself never fails because of it.
 */
final class OutlierParameters {
  private static final Logger LOG = LoggerFactory.getLogger(OutlierParameters.class);
  private static final OutlierParameters NONE = new OutlierParameters("", null);

  private final String revision;
  private final OutlierDetector detector;
  private final AtomicBoolean warned = new AtomicBoolean();

  private OutlierParameters(String revision, OutlierDetector detector) {
    this.revision = revision;
    this.detector = detector;
  }

  /** Fits the detector of this revision, or none when the parameter is off or cannot be given. */
  static OutlierParameters of(ServedRevision served) {
    Optional<OutlierConfig> config;
    try {
      config = OutlierConfig.parse(served.monitorJson());
    } catch (RuntimeException e) {
      LOG.warn("no outlier response parameter for {}: {}", served.key(), e.getMessage());
      return NONE;
    }
    if (config.isEmpty() || !config.get().responseParameter()) {
      return NONE;
    }
    if (config.get().reference() == null) {
      LOG.warn(
          "no outlier response parameter for {}: outlier.response_parameter needs an explicit"
              + " outlier.reference (a reference learnt from traffic lives in the monitor only)",
          served.key());
      return NONE;
    }
    try {
      return new OutlierParameters(served.key(), config.get().detector().orElseThrow());
    } catch (RuntimeException e) {
      LOG.warn("no outlier response parameter for {}: {}", served.key(), e.toString());
      return NONE;
    }
  }

  boolean enabled() {
    return detector != null;
  }

  /** The parameters for a request's inputs; empty when disabled or the inputs do not fit. */
  Map<String, String> of(List<Tensor> inputs) {
    if (detector == null) {
      return Map.of();
    }
    Optional<double[][]> rows = FeatureRows.numeric(inputs);
    if (rows.isEmpty()) {
      warnOnce("its first input is not a numeric tensor");
      return Map.of();
    }
    if (rows.get()[0].length != detector.features()) {
      warnOnce(
          "rows have "
              + rows.get()[0].length
              + " features, the outlier reference "
              + detector.features());
      return Map.of();
    }
    return detector.responseParameters(rows.get());
  }

  private void warnOnce(String why) {
    if (warned.compareAndSet(false, true)) {
      LOG.warn("requests of {} get no outlier response parameter: {} (logged once)", revision, why);
    }
  }
}
