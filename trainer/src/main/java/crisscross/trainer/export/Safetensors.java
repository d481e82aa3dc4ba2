package crisscross.trainer.export;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import crisscross.trainer.checkpoint.TensorBlob;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format (Hugging Face's, read by {@code safetensors.torch.load_file}): an unsigned 64-bit
 * little-endian header length N, N bytes of a UTF-8 JSON object mapping each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets into the data that follows the header) and an
 * optional {@code "__metadata__"} object of strings, then the tensors' raw little-endian C-order bytes, back to
 * back. Written with the header padded by spaces to a multiple of 8 bytes, so every tensor starts 8-byte aligned.
 * Reads and writes float32 ({@code F32}), float64 ({@code F64}) and int64 ({@code I64}) tensors as
 * {@link TensorBlob}s.
 */
public final class Safetensors {
  private static final String METADATA = "__metadata__";
  /** Larger headers are refused as damage rather than read into memory (the reference library's limit). */
  private static final long MAX_HEADER_BYTES = 100L << 20;
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Safetensors() {}

  /** What a file holds: its tensors in header order and its string metadata. */
  public record Contents(List<TensorBlob> tensors, Map<String, String> metadata) {
    public Contents {
      tensors = List.copyOf(tensors);
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The tensors by name. */
    public Map<String, TensorBlob> byName() {
      Map<String, TensorBlob> out = new LinkedHashMap<>();
      tensors.forEach(t -> out.put(t.name(), t));
      return out;
    }
  }

  /** Writes {@code tensors} (distinct names) and {@code metadata} to {@code file}, replacing it. */
  public static void write(Path file, List<TensorBlob> tensors, Map<String, String> metadata) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject(METADATA);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    Set<String> names = new HashSet<>();
    for (TensorBlob tensor : tensors) {
      if (tensor.name().equals(METADATA) || !names.add(tensor.name())) {
        throw new IllegalArgumentException("cannot write tensor name '" + tensor.name() + "' to " + file
            + (tensor.name().equals(METADATA) ? ": reserved" : ": given twice"));
      }
      ObjectNode entry = header.putObject(tensor.name());
      entry.put("dtype", dtypeName(tensor.dtype()));
      ArrayNode shape = entry.putArray("shape");
      for (long d : tensor.shape()) {
        shape.add(d);
      }
      entry.putArray("data_offsets").add(offset).add(offset + tensor.data().length);
      offset += tensor.data().length;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = Arrays.copyOf(json, padded);
    Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(headerBytes);
      for (TensorBlob tensor : tensors) {
        out.write(tensor.data());
      }
    }
  }

  /**
   * Reads a whole file. A header that is not the format's, an unsupported dtype, a shape that does not match its
   * byte range, or ranges that overlap, leave gaps or run past the end are refused with an error naming the file
   * and the tensor.
   */
  public static Contents read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such file");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8) {
        throw new IOException(file + " is not a safetensors file: " + size + " bytes, shorter than the 8-byte "
            + "header length");
      }
      long headerLength = readFully(channel, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
        throw new IOException(file + " is not a safetensors file: header length " + Long.toUnsignedString(headerLength)
            + " does not fit its " + size + " bytes");
      }
      JsonNode header;
      try {
        header = JSON.readTree(new String(readFully(channel, 8, (int) headerLength, file).array(),
            StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IOException(file + " is not a safetensors file: its header is not JSON (" + e.getMessage() + ")", e);
      }
      if (header == null || !header.isObject()) {
        throw new IOException(file + " is not a safetensors file: its header is not a JSON object");
      }
      long dataStart = 8 + headerLength;
      long dataSize = size - dataStart;
      Map<String, String> metadata = new LinkedHashMap<>();
      List<Entry> entries = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().equals(METADATA)) {
          readMetadata(field.getValue(), metadata, file);
        } else {
          entries.add(entry(field.getKey(), field.getValue(), dataSize, file));
        }
      }
      List<Entry> byOffset = new ArrayList<>(entries);
      byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
      long expected = 0;
      for (Entry e : byOffset) {
        if (e.begin() != expected) {
          throw new IOException("tensor " + e.name() + " in " + file + " starts at byte " + e.begin() + " of the data, "
              + "but " + (e.begin() < expected ? "the previous tensor ends at " : "nothing covers the bytes from ")
              + expected);
        }
        expected = e.end();
      }
      if (expected != dataSize) {
        throw new IOException(file + ": its tensors cover " + expected + " of the " + dataSize + " data bytes after "
            + "the header");
      }
      List<TensorBlob> tensors = new ArrayList<>(entries.size());
      for (Entry e : entries) {
        byte[] data = readFully(channel, dataStart + e.begin(), Math.toIntExact(e.end() - e.begin()), file).array();
        tensors.add(new TensorBlob(e.name(), e.dtype(), e.shape(), data));
      }
      return new Contents(tensors, metadata);
    }
  }

  private record Entry(String name, String dtype, long[] shape, long begin, long end) {}

  private static Entry entry(String name, JsonNode node, long dataSize, Path file) throws IOException {
    String where = "tensor " + name + " in " + file;
    if (!node.isObject() || !node.path("dtype").isTextual() || !node.path("shape").isArray()
        || !node.path("data_offsets").isArray() || node.path("data_offsets").size() != 2) {
      throw new IOException(where + ": the header entry needs dtype, shape and data_offsets [begin, end], got " + node);
    }
    String dtype = switch (node.get("dtype").asText()) {
      case "F32" -> "f4";
      case "F64" -> "f8";
      case "I64" -> "i8";
      default -> throw new IOException(where + " has dtype " + node.get("dtype").asText() + "; crisscross reads "
          + "F32, F64 and I64");
    };
    long[] shape = new long[node.get("shape").size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = node.get("shape").get(i);
      if (!d.canConvertToLong() || d.asLong() < 0) {
        throw new IOException(where + ": shape " + node.get("shape") + " is not a list of sizes");
      }
      shape[i] = d.asLong();
      count = Math.multiplyExact(count, shape[i]);
    }
    JsonNode offsets = node.get("data_offsets");
    if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
      throw new IOException(where + ": data_offsets " + offsets + " are not byte positions");
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    if (begin < 0 || end < begin || end > dataSize) {
      throw new IOException(where + ": data_offsets " + offsets + " do not lie within the " + dataSize
          + " data bytes");
    }
    long bytes = Math.multiplyExact(count, dtype.equals("f4") ? 4L : 8L);
    if (end - begin != bytes) {
      throw new IOException(where + ": shape " + Arrays.toString(shape) + " of " + node.get("dtype").asText()
          + " needs " + bytes + " bytes, its data_offsets span " + (end - begin));
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static void readMetadata(JsonNode node, Map<String, String> metadata, Path file) throws IOException {
    if (!node.isObject()) {
      throw new IOException(file + ": __metadata__ must be an object of strings, got " + node);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().isTextual()) {
        throw new IOException(file + ": __metadata__ value of " + field.getKey() + " is not a string");
      }
      metadata.put(field.getKey(), field.getValue().asText());
    }
  }

  private static String dtypeName(String dtype) {
    return switch (dtype) {
      case "f4" -> "F32";
      case "f8" -> "F64";
      case "i8" -> "I64";
      default -> throw new IllegalArgumentException("no safetensors dtype for " + dtype);
    };
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException(file + " ends early");
      }
    }
    buffer.flip();
    return buffer;
  }
}
