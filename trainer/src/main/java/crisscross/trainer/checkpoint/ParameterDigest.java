package crisscross.trainer.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 over parameter names, shapes and values: two runs ended identically iff their digests match. */
public final class ParameterDigest {
  private ParameterDigest() {}

  public static String sha256(List<TensorBlob> parameters) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<TensorBlob> sorted = new ArrayList<>(parameters);
    sorted.sort(Comparator.comparing(TensorBlob::name));
    for (TensorBlob blob : sorted) {
      digest.update(blob.name().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(blob.dtype().getBytes(StandardCharsets.UTF_8));
      ByteBuffer shape = ByteBuffer.allocate(8 * blob.shape().length);
      for (long d : blob.shape()) {
        shape.putLong(d);
      }
      digest.update(shape.array());
      digest.update(blob.data());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
