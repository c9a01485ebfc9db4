package dev.kaskade.loadtests.product;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/**
 * Lets the audit path catch up before a measured step against {@code kaskade up}. The payload
 * logger and the sink yield the cores to the calls (BackgroundPriority), so a closed loop leaves
 * records behind, which are written while the next steps run. With this wait every step starts from
 * the same state, and the report shows what each one found (docs/performance.md, change 21: up to
 * ~200,000 records, gone within 10 s).
 */
final class AuditSettle {
  /** No waiting: targets without an audit path. */
  static final AuditSettle NONE = new AuditSettle(null, Duration.ZERO);

  /** The backlog found before a step and the seconds until it was gone (-1: not in time). */
  record Waited(long backlog, double seconds) {}

  private final Admin admin;
  private final Duration timeout;

  /** {@code timeout} zero: no waiting. */
  AuditSettle(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** Waits for the backlog to clear; null when this settle does not wait. */
  Waited await() throws Exception {
    if (admin == null || timeout.isZero()) {
      return null;
    }
    long backlog = AuditBacklog.records(admin);
    double seconds = backlog == 0 ? 0 : AuditBacklog.secondsToCatchUp(admin, 0, timeout);
    return new Waited(backlog, seconds);
  }

  /**
   * The step a settle belongs to, as the metric names' suffix: {@code <protocol>/<mode>/<load>}.
   */
  static String stepKey(String protocol, String mode, int load) {
    return protocol + "/" + mode + "/" + load;
  }
}
