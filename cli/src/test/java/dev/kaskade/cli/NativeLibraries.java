package dev.kaskade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The Linux native libraries (glibc builds) that the image's jars carry for its architecture. */
final class NativeLibraries {
  private static final Pattern AMD64 = Pattern.compile("x86_64|x86-64|x64|amd64|linux64");
  private static final Pattern ARM64 = Pattern.compile("aarch64|aarch_64|arm64");

  private NativeLibraries() {}

  /** The image's dynamic loader for an OCI architecture name. */
  static String loader(String arch) {
    return switch (arch) {
      case "amd64" -> "/lib64/ld-linux-x86-64.so.2";
      case "arm64" -> "/lib/ld-linux-aarch64.so.1";
      default -> throw new IllegalArgumentException("no loader known for " + arch);
    };
  }

  /**
   * Copies every {@code .so} for Linux on {@code arch} (not the musl builds) out of the jars in
   * {@code libs} into {@code into}; returns their file names. Each also gets a {@code .so.1} link:
   * JNI wrappers such as ONNX Runtime's need their main library by its soname, which is its file
   * name plus {@code .1}, and the library loader has loaded it by then.
   */
  static List<String> extract(Path libs, Path into, String arch) throws IOException {
    Pattern archNames = "arm64".equals(arch) ? ARM64 : AMD64;
    List<String> names = new ArrayList<>();
    try (Stream<Path> jars = Files.list(libs)) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          for (ZipEntry entry : zip.stream().toList()) {
            String path = entry.getName().toLowerCase(Locale.ROOT);
            if (path.endsWith(".so")
                && path.contains("linux")
                && !path.contains("musl")
                && archNames.matcher(path).find()) {
              names.add(copy(zip, entry, into));
            }
          }
        }
      }
    }
    return names;
  }

  private static String copy(ZipFile zip, ZipEntry entry, Path into) throws IOException {
    String name = Path.of(entry.getName()).getFileName().toString();
    try (InputStream in = zip.getInputStream(entry)) {
      Files.copy(in, into.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    Path soname = into.resolve(name + ".1");
    if (!Files.exists(soname)) {
      Files.createSymbolicLink(soname, Path.of(name));
    }
    return name;
  }
}
