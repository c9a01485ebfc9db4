package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image as a runtime would take it: {@code cli/target/kaskade-image.tar} (built by
 * {@code -Pimage}) is unpacked as an OCI layout, every blob is checked against its digest, the
 * config must carry the one entry point, the chart's user, the data directory and the ports, and
 * the layers, extracted in order into a root file system, must start {@code kaskade version} there:
 * with the config's environment, working directory and user, chrooted, in its own mount and PID
 * namespaces with {@code /proc} and {@code /dev} mounted as a container runtime would, on a
 * read-only root with {@code /tmp} and the data directory writable as helm/kaskade mounts them. The
 * image's loader must also resolve what every bundled native library needs. Skips without {@code
 * -Pimage}; the runs skip where namespaces cannot be made (neither root nor user namespaces).
 */
class ImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IMAGE = System.getProperty("kaskade.image.tar", "");

  @TempDir static Path work;
  private static Path blobs;
  private static JsonNode manifest;
  private static JsonNode config;
  private static Path extracted;

  @BeforeAll
  static void unpack() throws Exception {
    if (!imageBuilt()) {
      return; // each test skips, saying why (a skip in @BeforeAll is reported as no test at all)
    }
    Path layout = Files.createDirectories(work.resolve("oci"));
    run(List.of("tar", "-xf", IMAGE, "-C", layout.toString()), 120);
    blobs = layout.resolve("blobs");
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    manifest = JSON.readTree(blob(index.path("manifests").path(0)).toFile());
    config = JSON.readTree(blob(manifest.path("config")).toFile());
  }

  @Test
  void configHasOneEntryPointTheChartsUserTheDataDirectoryAndThePorts() {
    assumeImageBuilt();
    JsonNode container = config.path("config");
    assertThat(strings(container.path("Entrypoint")))
        .containsExactly(
            "java",
            "-XX:+UseParallelGC",
            "-XX:MaxRAMPercentage=75",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            "@/app/jib-classpath-file",
            "dev.kaskade.cli.KaskadeCli");
    assertThat(strings(container.path("Cmd"))).isEmpty();
    assertThat(container.path("User").asText()).isEqualTo("10001:10001");
    assertThat(container.path("WorkingDir").asText()).isEqualTo("/var/lib/kaskade");
    assertThat(container.path("ExposedPorts").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("8080/tcp", "8081/tcp", "9443/tcp");
    assertThat(config.path("os").asText()).isEqualTo("linux");
    assertThat(strings(container.path("Env"))).anyMatch(env -> env.startsWith("PATH=/"));
    assertThat(manifest.path("layers").size()).isGreaterThan(1);
  }

  @Test
  void itsFileSystemStartsKaskadeVersionAsItsUser() throws Exception {
    Path rootfs = rootfs();

    List<String> output = run(containerCommand(rootfs, "version"), 120);

    assertThat(output)
        .filteredOn(line -> line.startsWith("kaskade "))
        .singleElement()
        .asString()
        .startsWith("kaskade " + projectVersion() + " (Kafka ")
        .matches(".*, Java \\d+.*\\)");
  }

  /**
   * The native libraries in the image's jars (ONNX Runtime, RocksDB, XGBoost, LightGBM, llama.cpp,
   * tokenizers, …) are loaded from the image's own C and C++ runtime: the image's loader, chrooted,
   * must resolve every library each one needs (so a package missing from the Debian base, such as
   * OpenMP's libgomp, fails here and not in a pod at the first request).
   */
  @Test
  void everyBundledNativeLibraryFindsTheLibrariesItNeedsInTheImage() throws Exception {
    Path rootfs = rootfs();
    Path natives = Files.createDirectories(rootfs.resolve("natives-check"));
    List<String> names = NativeLibraries.extract(rootfs.resolve("app/libs"), natives, arch());
    assertThat(names).contains("libonnxruntime.so", "librocksdbjni-linux64.so");

    List<String> unresolved = new ArrayList<>();
    for (String name : names) {
      List<String> command = new ArrayList<>(List.of("env", "-i"));
      command.addAll(namespaces(isRoot()));
      command.addAll(
          List.of(
              "unshare",
              "--root=" + rootfs,
              NativeLibraries.loader(arch()),
              "--library-path",
              "/natives-check",
              "--list",
              "/natives-check/" + name));
      Result result = execute(command, 60);
      if (!result.ok()) {
        unresolved.add(name + ": " + result.lines());
      }
    }
    assertThat(unresolved).isEmpty();
  }

  /** The image's layers extracted in order, once, into a root file system. */
  private static synchronized Path rootfs() throws Exception {
    assumeImageBuilt();
    assumeTrue(
        execute(concat(namespaces(isRoot()), "true"), 30).ok(),
        "needs mount and PID namespaces: run as root (as CI does) or where user namespaces are on");
    if (extracted == null) {
      Path dir = Files.createDirectories(work.resolve("rootfs"));
      for (JsonNode layer : manifest.path("layers")) {
        String gzip = layer.path("mediaType").asText().endsWith("gzip") ? "z" : "";
        run(
            List.of(
                "tar",
                "--warning=no-unknown-keyword",
                "-x" + gzip + "f",
                blob(layer).toString(),
                "-C",
                dir.toString()),
            300);
      }
      for (String mountPoint : List.of("proc", "dev", "tmp", workingDir().substring(1))) {
        Files.createDirectories(dir.resolve(mountPoint));
      }
      extracted = dir;
    }
    return extracted;
  }

  private static boolean imageBuilt() {
    return !IMAGE.isBlank() && Files.isRegularFile(Path.of(IMAGE));
  }

  private static void assumeImageBuilt() {
    assumeTrue(
        imageBuilt(),
        "no image to check: it is built with -Pimage, e.g. ./mvnw -Pimage -pl cli -am verify"
            + " (docs/operations.md, The image)");
  }

  private static String arch() {
    return config.path("architecture").asText();
  }

  /** The process a container runtime starts: the config's entry point, environment, dir, user. */
  private static List<String> containerCommand(Path rootfs, String... args) {
    JsonNode container = config.path("config");
    String[] user = container.path("User").asText().split(":");
    boolean root = isRoot();
    List<String> command = new ArrayList<>(List.of("env", "-i"));
    command.addAll(strings(container.path("Env")));
    command.addAll(namespaces(root));
    command.addAll(
        List.of(
            "sh",
            "-c",
            // As helm/kaskade runs it: a read-only root, /tmp and the data directory writable.
            "r=$1; w=$2; shift 2; mount --bind \"$r\" \"$r\" && mount -o remount,bind,ro \"$r\""
                + " && mount --rbind /dev \"$r/dev\" && mount -t proc proc \"$r/proc\""
                + " && mount -t tmpfs tmpfs \"$r/tmp\" && mount -t tmpfs tmpfs \"$r$w\""
                + " && exec unshare --root=\"$r\" --wd=\"$w\" \"$@\"",
            "sh",
            rootfs.toString(),
            workingDir()));
    if (root) {
      command.addAll(List.of("--setuid=" + user[0], "--setgid=" + user[user.length - 1]));
    }
    command.add("--");
    command.addAll(strings(container.path("Entrypoint")));
    command.addAll(List.of(args));
    return command;
  }

  private static String workingDir() {
    return config.path("config").path("WorkingDir").asText("/");
  }

  /** A blob of the layout, after checking that its content has its digest. */
  private static Path blob(JsonNode descriptor) throws IOException, NoSuchAlgorithmException {
    String[] digest = descriptor.path("digest").asText().split(":", 2);
    assertThat(digest).as("digest of %s", descriptor).hasSize(2);
    Path blob = blobs.resolve(digest[0]).resolve(digest[1]);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(blob)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    assertThat(HexFormat.of().formatHex(sha.digest()))
        .as("content of %s", blob)
        .isEqualTo(digest[1]);
    assertThat(Files.size(blob)).isEqualTo(descriptor.path("size").asLong());
    return blob;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static String projectVersion() throws IOException {
    Properties props = new Properties();
    try (InputStream in = ImageIT.class.getResourceAsStream("/kaskade-version.properties")) {
      props.load(in);
    }
    return props.getProperty("version");
  }

  /** New mount and PID namespaces; without root, in a user namespace where only root is mapped. */
  private static List<String> namespaces(boolean root) {
    List<String> unshare = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork"));
    unshare.add(root ? "--kill-child" : "--map-root-user");
    return unshare;
  }

  private static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static List<String> concat(List<String> command, String... args) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(args));
    return all;
  }

  /** Runs a command to its end; its output lines, or an assertion error with them. */
  private static List<String> run(List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    Result result = execute(command, timeoutSeconds);
    assertThat(result.ok()).as("%s ended with %s", command, result.lines()).isTrue();
    return result.lines();
  }

  private record Result(boolean ok, List<String> lines) {}

  private static Result execute(List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(work, "run", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
    if (!ended) {
      lines.add("(killed after " + timeoutSeconds + " s)");
    }
    return new Result(ended && process.exitValue() == 0, lines);
  }
}
