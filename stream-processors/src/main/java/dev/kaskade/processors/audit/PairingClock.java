package dev.kaskade.processors.audit;

/**
 * The payload logger's clock for its pairing window: the record time of what it reads while records
 * flow, the wall clock while none do. A half waits for its other half one window of this clock. In
 * steady state the two clocks agree. After a backlog they do not: the logger reads a minute of
 * calls in less (or, yielding the cores, more) than a minute, and a window counted on the wall
 * clock expired requests whose responses were still queued behind them, splitting the pair into
 * NO_RESPONSE and RESPONSE_ONLY (docs/audit.md). Counted on record time, a request and its response
 * stay a few milliseconds apart however late the logger reads them; and with no records coming,
 * time still passes, so a lone half is still emitted one window after it arrived.
 *
 * <p>Record time is the largest record timestamp seen (clamped by the caller into the past week and
 * not after now), so a record with an old timestamp never moves the clock back; a timestamp near
 * now in the middle of a backlog moves it to now, which only brings back the wall-clock window for
 * the halves waiting then. Pure: the caller passes the times.
 */
final class PairingClock {
  private static final long UNKNOWN = -1;

  private long recordTime;
  private long wallAtLastRecord;

  /**
   * A clock that reads {@code start} at wall time {@code wallNow}; {@code start} is the newest time
   * of what waits in the pending store when a task starts, or negative when nothing waits: then the
   * clock reads the wall clock until the first record sets it.
   */
  PairingClock(long start, long wallNow) {
    this.recordTime = start < 0 ? UNKNOWN : start;
    this.wallAtLastRecord = wallNow;
  }

  /** A record with (clamped) timestamp {@code timestamp} was read at wall time {@code wallNow}. */
  void onRecord(long timestamp, long wallNow) {
    recordTime = recordTime == UNKNOWN ? timestamp : Math.max(recordTime, timestamp);
    wallAtLastRecord = wallNow;
  }

  /** The time now: record time plus the wall time since the last record. */
  long now(long wallNow) {
    return recordTime == UNKNOWN ? wallNow : recordTime + Math.max(0, wallNow - wallAtLastRecord);
  }
}
