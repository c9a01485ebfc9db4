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

  static void unpack(Type type, Path archive, Path target) throws IOException {
    Files.createDirectories(target);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
      switch (type) {
        case ZIP -> unzip(raw, target);
        case TAR -> untar(new TarArchiveInputStream(raw), target);
        case TAR_GZ -> untar(new TarArchiveInputStream(new GzipCompressorInputStream(raw)), target);
      }
    }
  }

  private static void unzip(InputStream raw, Path target) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(raw)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Path out = safe(target, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void untar(TarArchiveInputStream tar, Path target) throws IOException {
    try (tar) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path out = safe(target, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isFile()) {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
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
