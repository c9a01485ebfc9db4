package dev.kaskade.sink;

import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.sink.chain.AuditVerifier;
import dev.kaskade.sink.chain.StoreAdmin;
import dev.kaskade.sink.chain.StoredRecord;
import dev.kaskade.sink.query.AuditQuery;
import dev.kaskade.sink.query.TimeSpec;
import dev.kaskade.sink.replay.AuditReplayer;
import dev.kaskade.sink.replay.ReplayReport;
import dev.kaskade.sink.sign.SignedHeads;
import dev.kaskade.sink.sign.SigningKeys;
import dev.kaskade.sink.store.BlobStore;
import dev.kaskade.sink.store.BlobStores;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Entry points for {@code kaskade audit verify|query|replay|delete}: each takes parsed options and
 * a PrintStream and returns the process exit code (0 ok, 1 verification failed or nothing to
 * replay, 2 bad options or an unreadable store). Times are ISO-8601 instants, {@code now} or
 * relative like {@code -1h}.
 */
public final class AuditCommands {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  static {
    AvroTrust.install();
  }

  /**
   * Which store: {@code --store s3://bucket/prefix} or a path, else {@code <data-dir>/audit}.
   *
   * @param dataDir the data directory ({@code --data-dir})
   * @param store {@code --store}, or null
   * @param settings S3 settings (audit.s3.*), may be empty
   */
  public record StoreOptions(Path dataDir, String store, Map<String, String> settings) {
    public StoreOptions {
      settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    public BlobStore open() {
      return BlobStores.open(store, dataDir, settings);
    }
  }

  /**
   * Options of {@code audit verify}.
   *
   * @param from first hour whose records are re-hashed (null: all)
   * @param to end of that range
   * @param publicKey the sink's public key; null: {@code <data-dir>/secrets/audit-signing.pub} when
   *     it exists, else signatures go unchecked
   * @param anchors reads the anchors from outside the store; null: not checked
   */
  public record VerifyOptions(String from, String to, Path publicKey, AnchorSource anchors) {}

  /** Where the anchors come from (the compacted anchor topic). */
  @FunctionalInterface
  public interface AnchorSource {
    List<SignedHeads> read() throws IOException;
  }

  /** Options of {@code audit query}; a null subject matches every caller. */
  public record QueryOptions(
      String model,
      String namespace,
      String from,
      String to,
      String id,
      String subject,
      int limit,
      String output) {}

  /** Options of {@code audit replay}. */
  public record ReplayOptions(
      String model,
      String namespace,
      String from,
      String to,
      String target,
      double rate,
      double tolerance,
      Path report,
      Duration timeout) {}

  private AuditCommands() {}

  /** {@code audit verify [--from T] [--to T]}: non-zero naming the first broken link. */
  public static int verify(StoreOptions store, String from, String to, PrintStream out) {
    return verify(store, from, to, out, Clock.systemUTC());
  }

  static int verify(StoreOptions store, String from, String to, PrintStream out, Clock clock) {
    return verify(store, new VerifyOptions(from, to, null, null), out, clock);
  }

  /**
   * {@code audit verify [--from T] [--to T] [--public-key FILE] [--bootstrap-servers B]}: the
   * chains, then the signed heads and anchors; only the public key is needed.
   */
  public static int verify(StoreOptions store, VerifyOptions options, PrintStream out) {
    return verify(store, options, out, Clock.systemUTC());
  }

  static int verify(StoreOptions store, VerifyOptions options, PrintStream out, Clock clock) {
    try (BlobStore blobs = store.open()) {
      Instant now = clock.instant();
      AuditVerifier.Trust trust = trust(store, options);
      AuditVerifier.Report report =
          AuditVerifier.verify(
              blobs, TimeSpec.parse(options.from(), now), TimeSpec.parse(options.to(), now), trust);
      report.notes().forEach(n -> out.println("note: " + n));
      out.println(report.summary());
      if (report.ok()) {
        report.heads().forEach((chain, head) -> out.println("head " + chain + " " + head));
      }
      return report.ok() ? OK : FAILED;
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      return USAGE;
    } catch (IOException | RuntimeException e) {
      out.println("error: cannot read the audit store: " + e.getMessage());
      return USAGE;
    }
  }

  private static AuditVerifier.Trust trust(StoreOptions store, VerifyOptions options)
      throws IOException {
    Path key = options.publicKey();
    if (key == null && store.dataDir() != null) {
      Path standalone = SigningKeys.publicKeyBeside(SigningKeys.defaultPrivateKey(store.dataDir()));
      key = Files.exists(standalone) ? standalone : null;
    }
    return new AuditVerifier.Trust(
        key == null ? null : SigningKeys.readPublic(key),
        options.anchors() == null ? null : options.anchors().read());
  }

  /**
   * {@code audit query --model M [--namespace N] [--from T] [--to T] [--id ID] [--subject SUB]
   * [--limit K] [-o F]}.
   */
  public static int query(StoreOptions store, QueryOptions options, PrintStream out) {
    try (BlobStore blobs = store.open()) {
      List<StoredRecord> records =
          AuditQuery.find(
              blobs,
              criteria(
                  options.model(),
                  options.namespace(),
                  options.from(),
                  options.to(),
                  options.id(),
                  options.subject(),
                  options.limit()));
      AuditQuery.render(records, options.output(), out);
      return OK;
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      return USAGE;
    } catch (IOException | RuntimeException e) {
      out.println("error: cannot read the audit store: " + e.getMessage());
      return USAGE;
    }
  }

  /**
   * {@code audit replay --model M [--from T] [--to T] --target MODEL[:REVISION] [--rate R]
   * [--tolerance X] --report FILE}: prints the summary, writes the JSON report; exit 0 when every
   * answer is identical or within tolerance, 1 otherwise.
   */
  public static int replay(
      StoreOptions store, AuditReplayer.Connection kafka, ReplayOptions options, PrintStream out) {
    if (options.target() == null || options.target().isBlank()) {
      out.println("error: --target MODEL[:REVISION] is required");
      return USAGE;
    }
    try (BlobStore blobs = store.open()) {
      List<StoredRecord> recorded =
          AuditQuery.find(
              blobs,
              criteria(
                  options.model(),
                  options.namespace(),
                  options.from(),
                  options.to(),
                  null,
                  null,
                  0));
      if (recorded.isEmpty()) {
        out.println("nothing to replay: no recorded requests match");
        return FAILED;
      }
      ReplayReport report =
          AuditReplayer.replay(
              recorded,
              kafka,
              new AuditReplayer.Options(
                  options.namespace(),
                  AuditReplayer.Target.parse(options.target()),
                  options.rate(),
                  options.tolerance(),
                  options.timeout() == null ? Duration.ofSeconds(30) : options.timeout(),
                  10));
      if (options.report() != null) {
        report.write(options.report());
        out.println("report written to " + options.report());
      }
      out.println(report.summary());
      return report.different() == 0 && report.errors() == 0 ? OK : FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("error: interrupted");
      return FAILED;
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      return USAGE;
    } catch (IOException | RuntimeException e) {
      out.println("error: replay failed: " + e.getMessage());
      return USAGE;
    }
  }

  /**
   * {@code audit delete --namespace N [--model M]}: removes a tenant's data (see docs/audit.md).
   */
  public static int delete(StoreOptions store, String namespace, String model, PrintStream out) {
    if (namespace == null || namespace.isBlank()) {
      out.println("error: --namespace is required");
      return USAGE;
    }
    try (BlobStore blobs = store.open()) {
      int deleted = StoreAdmin.deleteNamespace(blobs, namespace, model, System.currentTimeMillis());
      out.println(
          "deleted "
              + deleted
              + " object(s) under "
              + namespace
              + (model == null ? "" : "/" + model));
      return OK;
    } catch (IOException | RuntimeException e) {
      out.println("error: " + e.getMessage());
      return USAGE;
    }
  }

  private static AuditQuery.Criteria criteria(
      String model,
      String namespace,
      String from,
      String to,
      String id,
      String subject,
      int limit) {
    Instant now = Instant.now();
    return new AuditQuery.Criteria(
        model, namespace, TimeSpec.parse(from, now), TimeSpec.parse(to, now), id, limit, subject);
  }
}
