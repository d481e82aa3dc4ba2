package crisscross.pipeline.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} format, versions 1-3, little- and big-endian float32/float64/int32/int64/bool, C order.
 * Writes version 1 little-endian, atomically (temporary file then rename).
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  public static NpyArray read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return parse(bytes);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  public static NpyArray parse(byte[] bytes) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes.length <= i || bytes[i] != MAGIC[i]) {
        throw new IllegalArgumentException("not a .npy file (bad magic)");
      }
    }
    int major = bytes[6];
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(buffer.getShort(8));
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      headerLength = buffer.getInt(8);
      headerStart = 12;
    } else {
      throw new IllegalArgumentException("unsupported .npy version " + major);
    }
    String header = new String(bytes, headerStart, headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shapeMatch = SHAPE.matcher(header);
    if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
      throw new IllegalArgumentException("unreadable .npy header: " + header.trim());
    }
    if (fortran.group(1).equals("True")) {
      throw new IllegalArgumentException("Fortran-order arrays are not supported");
    }
    List<Long> dims = new ArrayList<>();
    for (String part : shapeMatch.group(1).split(",")) {
      if (!part.isBlank()) {
        dims.add(Long.parseLong(part.trim()));
      }
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    char kind = descr.group(2).charAt(0);
    int size = Integer.parseInt(descr.group(3));
    ByteBuffer data = ByteBuffer.wrap(bytes, headerStart + headerLength, bytes.length - headerStart - headerLength)
        .slice().order(order);
    if ((long) size * count > data.remaining()) {
      throw new IllegalArgumentException("truncated .npy data: need " + size * count + " bytes, have "
          + data.remaining());
    }
    double[] values = new double[Math.toIntExact(count)];
    String dtype = "" + kind + size;
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (dtype) {
        case "f4" -> data.getFloat();
        case "f8" -> data.getDouble();
        case "i4" -> data.getInt();
        case "i8" -> data.getLong();
        case "u1", "b1" -> Byte.toUnsignedInt(data.get());
        case "i2" -> data.getShort();
        default -> throw new IllegalArgumentException("unsupported dtype " + descr.group(0));
      };
    }
    return new NpyArray(dtype, shape, values);
  }

  public static void write(Path file, NpyArray array) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    try (OutputStream out = Files.newOutputStream(temp)) {
      write(out, array);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static byte[] toBytes(NpyArray array) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, array);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  public static void write(OutputStream out, NpyArray array) throws IOException {
    StringBuilder shape = new StringBuilder("(");
    for (int i = 0; i < array.shape().length; i++) {
      shape.append(array.shape()[i]);
      if (array.shape().length == 1 || i < array.shape().length - 1) {
        shape.append(array.shape().length == 1 ? "," : ", ");
      }
    }
    shape.append(')');
    String header = "{'descr': '<" + array.dtype() + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = MAGIC.length + 4 + header.length() + 1;
    int padding = (64 - total % 64) % 64;
    header = header + " ".repeat(padding) + "\n";
    ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    out.write(head.array());
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    int size = Integer.parseInt(array.dtype().substring(1));
    ByteBuffer data = ByteBuffer.allocate(array.data().length * size).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : array.data()) {
      switch (array.dtype()) {
        case "f4" -> data.putFloat((float) v);
        case "f8" -> data.putDouble(v);
        case "i4" -> data.putInt((int) v);
        case "i8" -> data.putLong((long) v);
        default -> throw new IllegalArgumentException("cannot write dtype " + array.dtype());
      }
    }
    out.write(data.array());
  }
}
