package dev.kaskade.schemas.evolution;

import dev.kaskade.schemas.testing.SampleEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Freezes the current schema of every published event type as {@code <Name>.v<N>.avsc} in the given
 * folder (default {@code src/test/resources/frozen-schemas}). Run it when a schema version is
 * published; it never overwrites a frozen file. {@link SchemaEvolutionTest} then keeps every later
 * schema able to read what the frozen ones wrote.
 */
public final class FreezeSchemas {
  private FreezeSchemas() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/frozen-schemas");
    String version = args.length > 1 ? args[1] : "v1";
    Files.createDirectories(dir);
    for (var type : SampleEvents.EVENT_TYPES) {
      Schema schema = SpecificData.get().getSchema(type);
      Path file = dir.resolve(schema.getName() + "." + version + ".avsc");
      if (Files.exists(file)) {
        System.out.println("kept   " + file);
        continue;
      }
      Files.writeString(file, schema.toString(true) + "\n", StandardCharsets.UTF_8);
      System.out.println("frozen " + file);
    }
  }
}
