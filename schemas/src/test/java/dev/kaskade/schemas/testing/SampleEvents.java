package dev.kaskade.schemas.testing;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.ExplanationResult;
import dev.kaskade.events.GenerationCancel;
import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.OutlierScore;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.serde.AvroTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Test data for every published event type: a record with EVERY field set (unions take their last,
 * richest branch) so round trips exercise the whole schema.
 */
public final class SampleEvents {
  /** The top-level event types Kaskade publishes on topics, each registered as a subject. */
  public static final List<Class<? extends SpecificRecord>> EVENT_TYPES =
      List.of(
          Tensor.class,
          InferenceError.class,
          InferenceRequest.class,
          InferenceResponse.class,
          ResourceEvent.class,
          ComponentStatus.class,
          PayloadAuditRecord.class,
          ExplanationResult.class,
          DriftAlert.class,
          OutlierScore.class,
          GenerationEvent.class,
          GenerationCancel.class);

  private static final int MAX_DEPTH = 8;

  static {
    AvroTrust.install();
  }

  private SampleEvents() {}

  /** A fully populated instance of the event type. */
  public static <T extends SpecificRecord> T full(Class<T> type) {
    Schema schema = SpecificData.get().getSchema(type);
    Object generic = sample(schema, schema.getName(), 0);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<Object>(schema).write(generic, encoder);
      encoder.flush();
      return new SpecificDatumReader<T>(schema)
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A small FP32 tensor [1, 2] holding 1.0f and 2.0f. */
  public static Tensor fp32Tensor(String name) {
    ByteBuffer data = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    data.putFloat(1.0f).putFloat(2.0f).flip();
    return Tensor.newBuilder()
        .setName(name)
        .setDatatype(dev.kaskade.events.DataType.FP32)
        .setShape(List.of(1L, 2L))
        .setData(data)
        .build();
  }

  private static Object sample(Schema schema, String name, int depth) {
    return switch (schema.getType()) {
      case RECORD -> {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), sample(field.schema(), field.name(), depth + 1));
        }
        yield record;
      }
      case UNION -> {
        List<Schema> branches = schema.getTypes();
        Schema branch =
            depth > MAX_DEPTH && branches.getFirst().getType() == Schema.Type.NULL
                ? branches.getFirst()
                : branches.getLast();
        yield sample(branch, name, depth + 1);
      }
      case ARRAY -> {
        List<Object> items = new ArrayList<>();
        items.add(sample(schema.getElementType(), name, depth + 1));
        items.add(sample(schema.getElementType(), name, depth + 1));
        yield new GenericData.Array<>(schema, items);
      }
      case MAP -> Map.of("k-" + name, sample(schema.getValueType(), name, depth + 1));
      case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().getLast());
      case STRING -> "sample-" + name;
      case BYTES -> ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
      case FIXED -> new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
      case INT -> 7;
      case LONG -> 7L;
      case FLOAT -> 1.5f;
      case DOUBLE -> 2.5d;
      case BOOLEAN -> true;
      case NULL -> null;
    };
  }
}
