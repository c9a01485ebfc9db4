package dev.kaskade.gateway.console;

import dev.kaskade.events.AuditOutcome;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.sink.chain.AuditVerifier;
import dev.kaskade.sink.chain.StoredRecord;
import dev.kaskade.sink.query.AuditQuery;
import dev.kaskade.sink.query.TimeSpec;
import dev.kaskade.sink.sign.SigningKeys;
import dev.kaskade.sink.store.BlobStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The console's view of the audit store, read the way {@code kaskade audit query|verify} reads it
 * (the store directly, no Kafka): bounded searches, one record with request and response, the
 * chain's verification state over a range, and the replay reports kept in a folder. Blocking: call
 * it off the event loop.
 */
public final class AuditBrowser {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  public static final Duration DEFAULT_RANGE = Duration.ofHours(1);
  public static final Duration ID_RANGE = Duration.ofDays(7);
  public static final Duration MAX_RANGE = Duration.ofDays(31);
  public static final int MAX_REPORTS = 50;
  private static final Set<String> OUTCOMES = Set.of("OK", "ERROR");

  private final Supplier<BlobStore> store;
  private final Path dataDir;
  private final Path replayDir;
  private final Clock clock;

  /**
   * @param store opens the audit store (closed after each use)
   * @param dataDir where the sink's public key is ({@code <data-dir>/secrets}), may be null
   * @param replayDir the folder of replay reports ({@code *.json}), may be null
   */
  public AuditBrowser(Supplier<BlobStore> store, Path dataDir, Path replayDir, Clock clock) {
    this.store = store;
    this.dataDir = dataDir;
    this.replayDir = replayDir;
    this.clock = clock;
  }

  /**
   * A search. Without a range it covers the last hour ({@link #ID_RANGE} when an id is given); a
   * range longer than {@link #MAX_RANGE} is refused.
   */
  public record Search(
      String namespace,
      String model,
      String from,
      String to,
      String id,
      String outcome,
      int limit) {}

  /** A time range, checked. */
  record Range(Instant from, Instant to) {}

  Range range(String from, String to, Duration defaultSpan) {
    Instant now = clock.instant();
    Instant end;
    Instant start;
    try {
      end = to == null || to.isBlank() ? now : TimeSpec.parse(to, now);
      start = from == null || from.isBlank() ? end.minus(defaultSpan) : TimeSpec.parse(from, now);
    } catch (IllegalArgumentException e) {
      throw KaskadeException.invalid(e.getMessage());
    }
    if (!start.isBefore(end)) {
      throw KaskadeException.invalid("from (" + start + ") must be before to (" + end + ").");
    }
    if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
      throw KaskadeException.invalid(
          "The time range may span at most " + MAX_RANGE.toDays() + " days.");
    }
    return new Range(start, end);
  }

  static int limit(Integer requested) {
    if (requested == null) {
      return DEFAULT_LIMIT;
    }
    if (requested < 1 || requested > MAX_LIMIT) {
      throw KaskadeException.invalid("limit must be between 1 and " + MAX_LIMIT + ".");
    }
    return requested;
  }

  static String outcome(String outcome) {
    if (outcome == null || outcome.isBlank()) {
      return null;
    }
    String o = outcome.trim().toUpperCase(Locale.ROOT);
    for (AuditOutcome known : AuditOutcome.values()) {
      if (known.name().equals(o)) {
        return o;
      }
    }
    if (OUTCOMES.contains(o)) {
      return o;
    }
    throw KaskadeException.invalid(
        "outcome must be OK, ERROR, PAIRED, NO_RESPONSE, RESPONSE_ONLY, REQUEST_ONLY or UNKNOWN.");
  }

  static boolean matchesOutcome(PayloadAuditRecord a, String outcome) {
    if (outcome == null) {
      return true;
    }
    boolean error = a.getResponse() != null && a.getResponse().getError() != null;
    return switch (outcome) {
      case "OK" -> a.getOutcome() == AuditOutcome.PAIRED && !error;
      case "ERROR" -> error;
      default -> a.getOutcome().name().equals(outcome);
    };
  }

  /** Matching records (summaries, newest first) and whether more matched than the limit. */
  public JsonObject search(Search s) throws IOException {
    String outcome = outcome(s.outcome());
    String id = s.id() == null || s.id().isBlank() ? null : s.id().trim();
    Range range = range(s.from(), s.to(), id != null ? ID_RANGE : DEFAULT_RANGE);
    List<StoredRecord> found;
    try (BlobStore blobs = store.get()) {
      found =
          AuditQuery.find(
              blobs,
              new AuditQuery.Criteria(
                  blank(s.model()), blank(s.namespace()), range.from(), range.to(), id, 0));
    }
    List<StoredRecord> matching =
        new ArrayList<>(found.stream().filter(r -> matchesOutcome(r.audit(), outcome)).toList());
    matching.sort(Comparator.comparingLong((StoredRecord r) -> r.audit().getCeTime()).reversed());
    JsonArray records = new JsonArray();
    matching.stream().limit(s.limit()).forEach(r -> records.add(summary(r)));
    return new JsonObject()
        .put("from", range.from().toString())
        .put("to", range.to().toString())
        .put("records", records)
        .put("truncated", matching.size() > s.limit());
  }

  /**
   * The records with a request id in a namespace (the one the caller was authorized for), in full
   * (request and response as V2 JSON), or NOT_FOUND.
   */
  public JsonObject record(String namespace, String id, String from, String to) throws IOException {
    Range range = range(from, to, ID_RANGE);
    List<StoredRecord> records;
    try (BlobStore blobs = store.get()) {
      records =
          AuditQuery.find(
              blobs,
              new AuditQuery.Criteria(
                  null, blank(namespace), range.from(), range.to(), id, MAX_LIMIT));
    }
    if (records.isEmpty()) {
      throw KaskadeException.notFound(
          "No audit record with id "
              + id
              + " between "
              + range.from()
              + " and "
              + range.to()
              + ".");
    }
    JsonArray all = new JsonArray();
    records.forEach(r -> all.add(new JsonObject(AuditQuery.toJson(r).toString())));
    return new JsonObject().put("id", id).put("records", all);
  }

  static JsonObject summary(StoredRecord r) {
    PayloadAuditRecord a = r.audit();
    boolean error = a.getResponse() != null && a.getResponse().getError() != null;
    return new JsonObject()
        .put("id", a.getCeId())
        .put("namespace", a.getCeNamespace())
        .put("model", a.getCeInferenceservicename())
        .put("time", Instant.ofEpochMilli(a.getCeTime()).toString())
        .put("outcome", a.getOutcome().name())
        .put("error", error ? a.getResponse().getError().getCode().toString() : null)
        .put("replay", a.getReplay())
        .put("endpoint", a.getCeEndpoint());
  }

  /** The chains' verification over a range (default the last day). */
  public JsonObject verify(String from, String to) throws IOException {
    Range range = range(from, to, Duration.ofDays(1));
    try (BlobStore blobs = store.get()) {
      AuditVerifier.Report report = AuditVerifier.verify(blobs, range.from(), range.to(), trust());
      return new JsonObject()
          .put("from", range.from().toString())
          .put("to", range.to().toString())
          .put("ok", report.ok())
          .put("summary", report.summary())
          .put("files", report.files())
          .put("records", report.records())
          .put("chains", report.heads().size())
          .put("broken", report.broken() == null ? null : report.broken().toString())
          .put("notes", new JsonArray(new ArrayList<>(report.notes())));
    }
  }

  private AuditVerifier.Trust trust() throws IOException {
    if (dataDir == null) {
      return AuditVerifier.Trust.NONE;
    }
    Path key = SigningKeys.publicKeyBeside(SigningKeys.defaultPrivateKey(dataDir));
    return Files.exists(key)
        ? new AuditVerifier.Trust(SigningKeys.readPublic(key), null)
        : AuditVerifier.Trust.NONE;
  }

  /** The newest replay reports in the folder ({@link #MAX_REPORTS} at most). */
  public JsonObject replays() throws IOException {
    JsonArray reports = new JsonArray();
    if (replayDir != null && Files.isDirectory(replayDir)) {
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(replayDir, "*.json")) {
        dir.forEach(files::add);
      }
      files.sort(Comparator.comparingLong(AuditBrowser::modified).reversed());
      for (Path file : files.subList(0, Math.min(MAX_REPORTS, files.size()))) {
        reports.add(report(file));
      }
    }
    return new JsonObject()
        .put("folder", replayDir == null ? null : replayDir.toString())
        .put("reports", reports);
  }

  private static JsonObject report(Path file) {
    JsonObject o = new JsonObject().put("file", file.getFileName().toString());
    try {
      if (Files.size(file) > 4 * 1024 * 1024) {
        return o.put("error", "larger than 4 MiB; not shown");
      }
      return o.put("report", new JsonObject(Files.readString(file)));
    } catch (IOException | DecodeException e) {
      return o.put("error", "unreadable: " + e.getMessage());
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
