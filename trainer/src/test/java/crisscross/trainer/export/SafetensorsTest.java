package crisscross.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import crisscross.trainer.checkpoint.TensorBlob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  private static final List<TensorBlob> TENSORS = List.of(
      TensorBlob.ofFloats("video_backbone.stem_conv.weight", new long[] {2, 1, 1, 1, 3},
          new float[] {1.5f, -2f, 0f, Float.MIN_VALUE, 3.25e-7f, -0f}),
      TensorBlob.ofDoubles("audio_backbone.bn1.running_var", new long[] {3}, new double[] {1, 0.5, 1e-300}),
      TensorBlob.ofLongs("audio_backbone.bn1.num_batches_tracked", new long[0], new long[] {7}),
      TensorBlob.ofFloats("empty", new long[] {0, 4}, new float[0]));

  @Test
  void writtenTensorsAndMetadataReadBackUnchanged() throws IOException {
    Path file = dir.resolve("w.safetensors");
    Safetensors.write(file, TENSORS, Map.of("format", "pt"));
    Safetensors.Contents contents = Safetensors.read(file);
    assertThat(contents.tensors()).containsExactlyElementsOf(TENSORS);
    assertThat(contents.metadata()).containsExactly(Map.entry("format", "pt"));
  }

  @Test
  void theFileIsTheFormatsLayout() throws IOException {
    Path file = dir.resolve("w.safetensors");
    Safetensors.write(file, TENSORS, Map.of("format", "pt"));
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).as("tensors start 8-byte aligned").isZero();
    JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    assertThat(header.get("__metadata__").get("format").asText()).isEqualTo("pt");
    JsonNode conv = header.get("video_backbone.stem_conv.weight");
    assertThat(conv.get("dtype").asText()).isEqualTo("F32");
    assertThat(conv.get("shape").toString()).isEqualTo("[2,1,1,1,3]");
    assertThat(conv.get("data_offsets").toString()).isEqualTo("[0,24]");
    JsonNode var = header.get("audio_backbone.bn1.running_var");
    assertThat(var.get("dtype").asText()).isEqualTo("F64");
    assertThat(var.get("data_offsets").toString()).isEqualTo("[24,48]");
    JsonNode tracked = header.get("audio_backbone.bn1.num_batches_tracked");
    assertThat(tracked.get("dtype").asText()).isEqualTo("I64");
    assertThat(tracked.get("shape").toString()).isEqualTo("[]");
    assertThat(bytes).hasSize((int) (8 + headerLength + 24 + 24 + 8));
    long dataStart = 8 + headerLength;
    assertThat(ByteBuffer.wrap(bytes, (int) dataStart, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(1.5f);
    assertThat(ByteBuffer.wrap(bytes, (int) dataStart + 48, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(7);
  }

  @Test
  void refusesADuplicateName() {
    List<TensorBlob> twice = List.of(TENSORS.get(1), TENSORS.get(1));
    assertThatThrownBy(() -> Safetensors.write(dir.resolve("d.safetensors"), twice, Map.of()))
        .hasMessageContaining("audio_backbone.bn1.running_var").hasMessageContaining("twice");
  }

  @Test
  void aShapeThatDoesNotFitItsBytesIsRefusedNamingTheTensorAndFile() throws IOException {
    Path file = handWritten("{\"a.weight\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
    assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("tensor a.weight in " + file).hasMessageContaining("needs 12 bytes");
  }

  @Test
  void anUnsupportedDtypeIsRefusedNamingTheTensor() throws IOException {
    Path file = handWritten("{\"a.weight\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4);
    assertThatThrownBy(() -> Safetensors.read(file)).hasMessageContaining("tensor a.weight in " + file)
        .hasMessageContaining("BF16");
  }

  @Test
  void overlappingOrUncoveredBytesAreRefused() throws IOException {
    Path overlap = handWritten("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
    assertThatThrownBy(() -> Safetensors.read(overlap)).hasMessageContaining("tensor b in " + overlap)
        .hasMessageContaining("previous tensor ends at 8");
    Path trailing = handWritten("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8);
    assertThatThrownBy(() -> Safetensors.read(trailing)).hasMessageContaining("cover 4 of the 8 data bytes");
  }

  @Test
  void aFileThatIsNotSafetensorsIsRefusedNamingIt() throws IOException {
    Path numpy = dir.resolve("weights.npy");
    Files.write(numpy, "\u0093NUMPY\u0001\u0000v\u0000{'descr': '<f4'}".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Safetensors.read(numpy)).hasMessageContaining(numpy + " is not a safetensors file");
    Path truncated = dir.resolve("t.safetensors");
    Safetensors.write(truncated, TENSORS, Map.of());
    byte[] bytes = Files.readAllBytes(truncated);
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(() -> Safetensors.read(truncated)).hasMessageContaining(truncated.toString())
        .hasMessageContaining("do not lie within");
  }

  private Path handWritten(String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(json.length).put(json);
    Path file = dir.resolve("hand-" + Integer.toHexString(header.hashCode()) + ".safetensors");
    Files.write(file, buffer.array());
    return file;
  }
}
