package dev.kaskade.sink.sign;

import static dev.kaskade.sink.TestRecords.T0;
import static dev.kaskade.sink.TestRecords.audit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.sink.AuditCommands;
import dev.kaskade.sink.chain.AuditVerifier;
import dev.kaskade.sink.chain.SinkWriter;
import dev.kaskade.sink.chain.StoreLayout;
import dev.kaskade.sink.store.FileSystemBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the chain alone cannot show: a store rolled back to an earlier copy, truncated, or
 * re-computed from edited records. The signed heads in the store and the anchors published outside
 * it (here: what the sink would publish, {@link SinkWriter#signedHeads}) show each.
 */
class SignedAuditTest {
  private static final String TOPIC = "kaskade.audit.payloads";

  static {
    AvroTrust.install();
  }

  @TempDir Path dir;
  private Path storeDir;
  private Path keyFile;
  private KeyPair keys;
  private SinkWriter writer;

  @BeforeEach
  void setUp() throws Exception {
    storeDir = dir.resolve("audit");
    keyFile = SigningKeys.defaultPrivateKey(dir);
    keys = SigningKeys.generate(keyFile);
    writer = writer(new FileSystemBlobStore(storeDir), keys);
  }

  private static SinkWriter writer(FileSystemBlobStore store, KeyPair keys) {
    return new SinkWriter(store, TOPIC, new HeadSigner(keys.getPrivate(), Clock.systemUTC()));
  }

  /** Offsets from..to-1 on partition 0 of "iris", one flush. */
  private static void write(SinkWriter w, int from, int to, boolean edited) throws IOException {
    for (int i = from; i < to; i++) {
      PayloadAuditRecord a = audit("default", "iris", i, T0 + i * 1000L);
      if (edited && i == from) {
        a.setCeSource("edited");
      }
      w.append(0, i, T0 + i, a);
    }
    w.flush(Map.of(0, (long) to));
  }

  private AuditVerifier.Report verify(List<SignedHeads> anchors) throws IOException {
    return AuditVerifier.verify(
        new FileSystemBlobStore(storeDir),
        null,
        null,
        new AuditVerifier.Trust(
            SigningKeys.readPublic(SigningKeys.publicKeyBeside(keyFile)), anchors));
  }

  @Test
  void generatedPrivateKeyIsReadableByItsOwnerOnly() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(SigningKeys.publicKeyBeside(keyFile)))
        .startsWith("-----BEGIN PUBLIC KEY-----");
  }

  @Test
  void validStoreVerifiesWithThePublicKeyOnly() throws Exception {
    write(writer, 0, 5, false);
    write(writer, 5, 9, false);
    Path publicOnly = Files.copy(SigningKeys.publicKeyBeside(keyFile), dir.resolve("sink.pub"));
    Files.delete(keyFile);
    List<SignedHeads> anchors = writer.signedHeads();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        AuditCommands.verify(
            new AuditCommands.StoreOptions(dir, storeDir.toString(), Map.of()),
            new AuditCommands.VerifyOptions(null, null, publicOnly, () -> anchors),
            new PrintStream(out, true, StandardCharsets.UTF_8));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    assertThat(printed).contains("OK: 9 records").contains("1 anchors match");
    assertThat(anchors.get(0).sequence()).isEqualTo(2);
    assertThat(anchors.get(0).chains().get("default/iris").count()).isEqualTo(9);
  }

  @Test
  void reportsStoreRolledBackToAnEarlierConsistentCopy() throws Exception {
    write(writer, 0, 5, false);
    Path earlier = copy(storeDir, dir.resolve("earlier"));
    write(writer, 5, 9, false);
    List<SignedHeads> anchors = writer.signedHeads();

    replace(storeDir, earlier);

    assertThat(AuditVerifier.verify(new FileSystemBlobStore(storeDir), null, null).ok())
        .as("the chain alone cannot see it")
        .isTrue();
    AuditVerifier.Report report = verify(anchors);
    assertThat(report.ok()).isFalse();
    assertThat(report.summary()).contains("rolled back");
  }

  @Test
  void reportsTruncationOfTheNewestFiles() throws Exception {
    write(writer, 0, 5, false);
    write(writer, 5, 9, false);
    FileSystemBlobStore store = new FileSystemBlobStore(storeDir);
    for (String key : store.list("default/")) {
      if (StoreLayout.parse(key).firstOffset() == 5) {
        store.delete(key);
      }
    }

    AuditVerifier.Report offline = verify(null);
    assertThat(offline.ok()).isFalse();
    assertThat(offline.summary()).contains("truncated").contains("offset 8");
    assertThat(verify(writer.signedHeads()).ok()).isFalse();
  }

  @Test
  void reportsChainRecomputedFromEditedRecordsAndSignedWithAnotherKey() throws Exception {
    write(writer, 0, 5, false);
    List<SignedHeads> anchors = writer.signedHeads();
    KeyPair attacker = SigningKeys.generate(dir.resolve("attacker").resolve("a.key"));
    Path forged = dir.resolve("forged");
    write(writer(new FileSystemBlobStore(forged), attacker), 0, 5, true);
    replace(storeDir, forged);

    assertThat(AuditVerifier.verify(new FileSystemBlobStore(storeDir), null, null).ok()).isTrue();
    AuditVerifier.Report offline = verify(null);
    assertThat(offline.ok()).isFalse();
    assertThat(offline.summary()).contains("signature does not verify");
  }

  @Test
  void reportsRecomputedChainAgainstTheAnchorEvenWithoutSignedHeadsInTheStore() throws Exception {
    write(writer, 0, 5, false);
    List<SignedHeads> anchors = writer.signedHeads();
    Path forged = dir.resolve("forged");
    write(new SinkWriter(new FileSystemBlobStore(forged), TOPIC), 0, 5, true);
    replace(storeDir, forged);

    AuditVerifier.Report report = verify(anchors);
    assertThat(report.ok()).isFalse();
    assertThat(report.summary()).contains("anchor");
  }

  @Test
  void reportsAnchorForgedWithAnotherKey() throws Exception {
    write(writer, 0, 5, false);
    KeyPair attacker = SigningKeys.generate(dir.resolve("attacker").resolve("a.key"));
    SignedHeads real = writer.signedHeads().get(0);
    SignedHeads forged =
        new SignedHeads(
                real.topic(),
                real.partition(),
                real.sequence() + 1,
                real.nextOffset(),
                real.timeMs(),
                real.chains(),
                null)
            .sign(attacker.getPrivate());

    AuditVerifier.Report report = verify(List.of(forged));
    assertThat(report.ok()).isFalse();
    assertThat(report.summary()).contains("signature does not verify");
  }

  @Test
  void signedHeadsSurviveARestartWithAGrowingSequence() throws Exception {
    write(writer, 0, 5, false);
    SinkWriter restarted = writer(new FileSystemBlobStore(storeDir), keys);
    assertThat(restarted.recover(0)).isEqualTo(5);
    write(restarted, 5, 7, false);

    SignedHeads heads = restarted.signedHeads().get(0);
    assertThat(heads.sequence()).isEqualTo(2);
    assertThat(heads.chains().get("default/iris").count()).isEqualTo(7);
    assertThat(verify(restarted.signedHeads()).ok()).isTrue();
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    return to;
  }

  private static void replace(Path store, Path with) throws IOException {
    try (Stream<Path> files = Files.walk(store)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    copy(with, store);
  }
}
