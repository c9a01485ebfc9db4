package dev.kaskade.schemas.serde;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes for Kaskade's event types over one registry client. */
public final class KaskadeSerdes {
  private KaskadeSerdes() {}

  public static <T extends SpecificRecord> Serde<T> of(
      SchemaRegistryClient registry, Class<T> type) {
    return Serdes.serdeFrom(new AvroSerializer<>(registry), new AvroDeserializer<>(registry, type));
  }
}
