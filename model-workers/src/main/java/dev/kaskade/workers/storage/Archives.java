package dev.kaskade.workers.storage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Unpacks .tar.gz/.tgz/.tar/.zip downloads, refusing entries that escape the target. */
final class Archives {
  enum Type {
    TAR_GZ,
    TAR,
    ZIP
  }

  private Archives() {}

  /** The archive type from the file name, else from the Content-Type; null when not an archive. */
  static Type detect(String name, String contentType) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) {
      return Type.TAR_GZ;
    }
    if (lower.endsWith(".tar")) {
      return Type.TAR;
    }
    if (lower.endsWith(".zip")) {
      return Type.ZIP;
    }
    String type = contentType == null ? "" : contentType;
    if (type.startsWith("application/zip") || type.startsWith("application/x-zip")) {
      return Type.ZIP;
    }
    if (type.startsWith("application/x-tar")) {
      return Type.TAR;
    }
    if (type.startsWith("application/gzip") || type.startsWith("application/x-gzip")) {
      return Type.TAR_GZ;
    }
    return null;
  }

  /**
   * Unpacks within the policy's limits: at most {@code maxEntries} entries and {@code
   * maxExtractedBytes} written, counted as the bytes come out of the decompressor (a declared size
   * can lie), so a zip bomb stops at the limit instead of filling the disk.
   */
  static void unpack(Type type, Path archive, Path target, StoragePolicy policy)
      throws IOException {
    Files.createDirectories(target);
    Unpacking limits =
        new Unpacking(
            new Limits.Budget(
                "extracted size", policy.maxExtractedBytes(), StoragePolicy.MAX_EXTRACTED_BYTES),
            policy.maxEntries());
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
      switch (type) {
        case ZIP -> unzip(raw, target, limits);
        case TAR -> untar(new TarArchiveInputStream(raw), target, limits);
        case TAR_GZ ->
            untar(new TarArchiveInputStream(new GzipCompressorInputStream(raw)), target, limits);
      }
    }
  }

  /** The budgets of one unpacking. */
  private static final class Unpacking {
    final Limits.Budget bytes;
    final int maxEntries;
    int entries;

    Unpacking(Limits.Budget bytes, int maxEntries) {
      this.bytes = bytes;
      this.maxEntries = maxEntries;
    }

    void entry() throws Limits.Exceeded {
      if (++entries > maxEntries) {
        throw new Limits.Exceeded("archive entry count", maxEntries, StoragePolicy.MAX_ENTRIES);
      }
    }

    void copy(InputStream in, Path out, long declared) throws IOException {
      bytes.expect(declared);
      Files.copy(bytes.wrap(in), out, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void unzip(InputStream raw, Path target, Unpacking limits) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(raw)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        limits.entry();
        Path out = safe(target, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          limits.copy(zip, out, entry.getSize());
        }
      }
    }
  }

  private static void untar(TarArchiveInputStream tar, Path target, Unpacking limits)
      throws IOException {
    try (tar) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        limits.entry();
        Path out = safe(target, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isFile()) {
          Files.createDirectories(out.getParent());
          limits.copy(tar, out, entry.getSize());
        }
        // links and devices are skipped: a model directory needs none
      }
    }
  }

  private static Path safe(Path target, String name) throws IOException {
    Path out = target.resolve(name).normalize();
    if (!out.startsWith(target)) {
      throw new IOException("archive entry '" + name + "' escapes the target directory");
    }
    return out;
  }
}
