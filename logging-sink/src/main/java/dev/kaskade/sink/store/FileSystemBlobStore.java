package dev.kaskade.sink.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Objects as files under a root directory. A put writes a hidden temporary file, fsyncs it, renames
 * it atomically over the target and fsyncs the directory, so a crash leaves either the old object
 * or the new one, never a torn one.
 */
public final class FileSystemBlobStore implements BlobStore {
  private static final String TMP_PREFIX = ".tmp-";
  private final Path root;

  public FileSystemBlobStore(Path root) throws IOException {
    this.root = Files.createDirectories(root).toAbsolutePath();
  }

  public Path root() {
    return root;
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    put(key, List.of(ByteBuffer.wrap(data)));
  }

  /** Writes the parts with gathering writes, without joining them into one array first. */
  @Override
  public void put(String key, List<ByteBuffer> parts) throws IOException {
    ByteBuffer[] buffers = parts.stream().map(ByteBuffer::duplicate).toArray(ByteBuffer[]::new);
    Path target = resolve(key);
    Path dir = Files.createDirectories(target.getParent());
    Path tmp = dir.resolve(TMP_PREFIX + target.getFileName() + "-" + System.nanoTime());
    try (FileChannel channel =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long remaining = 0;
      for (ByteBuffer buffer : buffers) {
        remaining += buffer.remaining();
      }
      while (remaining > 0) {
        remaining -= channel.write(buffers);
      }
      channel.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(dir);
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for reading; the rename is still atomic there.
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
        throw e;
      }
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    return Files.readAllBytes(resolve(key));
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(resolve(key));
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    Path start = root;
    String dirPart = prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : "";
    if (!dirPart.isEmpty()) {
      start = resolve(dirPart);
    }
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      files
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(TMP_PREFIX))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix))
          .forEach(keys::add);
    } catch (java.io.UncheckedIOException e) {
      if (!(e.getCause() instanceof NoSuchFileException)) {
        throw e.getCause();
      }
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(resolve(key));
  }

  @Override
  public String describe() {
    return root.toString();
  }

  private Path resolve(String key) {
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("key escapes the store root: " + key);
    }
    return path;
  }
}
