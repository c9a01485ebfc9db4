package dev.kaskade.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.schemas.testing.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Published schemas are frozen in src/test/resources/frozen-schemas (see {@link FreezeSchemas}).
 * The current generated schema of each type must read everything any frozen version wrote
 * (BACKWARD), and the public contract fields must stay as documented.
 */
class SchemaEvolutionTest {
  static {
    AvroTrust.install();
  }

  @Test
  void everyPublishedTypeHasAFrozenFirstVersion() throws Exception {
    List<String> frozen = frozenFiles().stream().map(p -> p.getFileName().toString()).toList();
    for (var type : SampleEvents.EVENT_TYPES) {
      assertThat(frozen).contains(SpecificData.get().getSchema(type).getName() + ".v1.avsc");
    }
  }

  @Test
  void currentSchemaReadsDataWrittenWithEveryFrozenVersion() throws Exception {
    List<Path> files = frozenFiles();
    assertThat(files).hasSizeGreaterThanOrEqualTo(SampleEvents.EVENT_TYPES.size());
    for (Path file : files) {
      Schema frozen = new Schema.Parser().parse(file.toFile());
      Schema current = currentSchemaOf(frozen.getFullName());
      var result = SchemaCompatibility.checkReaderWriterCompatibility(current, frozen);
      assertThat(result.getType())
          .as(
              "current %s reading data written with %s: %s",
              frozen.getName(), file.getFileName(), result.getResult().getIncompatibilities())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  @Test
  void compatibilityCheckRejectsANewFieldWithoutDefault() throws Exception {
    Schema frozen = new Schema.Parser().parse(frozenFile("InferenceRequest.v1.avsc").toFile());
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : frozen.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    fields.add(new Schema.Field("tenant", Schema.create(Schema.Type.STRING)));
    Schema evolved =
        Schema.createRecord(frozen.getName(), null, frozen.getNamespace(), false, fields);

    var result = SchemaCompatibility.checkReaderWriterCompatibility(evolved, frozen);

    assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  @Test
  void tensorKeepsItsContractFieldsAndDatatypeSymbols() {
    Schema tensor = Tensor.getClassSchema();
    assertContractFields(tensor, "name", "datatype", "shape", "data");
    assertThat(tensor.getField("datatype").schema().getEnumSymbols())
        .containsExactly(
            "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
            "FP16", "FP32", "FP64", "BYTES", "BF16");
    assertThat(tensor.getField("shape").schema().getElementType().getType())
        .isEqualTo(Schema.Type.LONG);
    assertThat(tensor.getField("data").schema().getType()).isEqualTo(Schema.Type.BYTES);
  }

  @Test
  void inferenceRequestKeepsItsContractFields() {
    assertContractFields(InferenceRequest.getClassSchema(), "id", "model", "inputs");
  }

  @Test
  void inferenceResponseKeepsItsContractFieldsAndNullableErrorRecord() {
    Schema response = InferenceResponse.getClassSchema();
    assertContractFields(response, "id", "model", "model_version", "outputs", "error");
    Schema error = response.getField("error").schema();
    assertThat(error.getType()).isEqualTo(Schema.Type.UNION);
    assertThat(error.getTypes()).hasSize(2);
    assertThat(error.getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
    Schema errorRecord = error.getTypes().get(1);
    assertThat(errorRecord.getType()).isEqualTo(Schema.Type.RECORD);
    assertThat(errorRecord.getFields())
        .extracting(Schema.Field::name)
        .containsExactly("code", "message");
  }

  @Test
  void clientFillingOnlyContractFieldsWritesValidRecords() throws IOException {
    Tensor tensor =
        Tensor.newBuilder()
            .setName("x")
            .setDatatype(DataType.INT64)
            .setShape(List.of(1L))
            .setData(java.nio.ByteBuffer.wrap(new byte[8]))
            .build();
    InferenceRequest request =
        InferenceRequest.newBuilder().setId("r1").setModel("m").setInputs(List.of(tensor)).build();
    InferenceResponse response =
        InferenceResponse.newBuilder()
            .setId("r1")
            .setModel("m")
            .setModelVersion("m-predictor-0000abcd")
            .setOutputs(List.of(tensor))
            .setError(InferenceError.newBuilder().setCode("INTERNAL").setMessage("boom").build())
            .build();

    assertThat(roundTrip(tensor)).isEqualTo(tensor);
    assertThat(roundTrip(request)).isEqualTo(request);
    assertThat(roundTrip(request).getNamespace()).isEqualTo("default");
    assertThat(roundTrip(response)).isEqualTo(response);
    assertThat(roundTrip(response).getError().getCode()).isEqualTo("INTERNAL");
  }

  @Test
  void everyPublishedTypeRoundTripsWithAllFieldsSet() throws IOException {
    for (var type : SampleEvents.EVENT_TYPES) {
      SpecificRecord record = SampleEvents.full(type);
      assertThat(roundTrip(record)).as(type.getSimpleName()).isEqualTo(record);
    }
  }

  private static void assertContractFields(Schema schema, String... contract) {
    List<String> names = schema.getFields().stream().map(Schema.Field::name).toList();
    assertThat(names).as(schema.getName() + " fields").startsWith(contract);
    for (Schema.Field field : schema.getFields()) {
      if (!List.of(contract).contains(field.name())) {
        assertThat(field.hasDefaultValue())
            .as(
                "%s.%s is not a contract field, so it needs a default",
                schema.getName(), field.name())
            .isTrue();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> T roundTrip(T record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return (T)
        new SpecificDatumReader<T>(record.getSchema())
            .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }

  private static Schema currentSchemaOf(String fullName) throws ClassNotFoundException {
    Class<?> type = Class.forName(fullName);
    return SpecificData.get().getSchema(type);
  }

  private static Path frozenFile(String name) throws URISyntaxException {
    return frozenDir().resolve(name);
  }

  private static Path frozenDir() throws URISyntaxException {
    return Path.of(
        Objects.requireNonNull(SchemaEvolutionTest.class.getResource("/frozen-schemas")).toURI());
  }

  private static List<Path> frozenFiles() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(frozenDir())) {
      return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    }
  }
}
