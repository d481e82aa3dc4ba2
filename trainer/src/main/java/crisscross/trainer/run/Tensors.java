package crisscross.trainer.run;

import crisscross.trainer.checkpoint.TensorBlob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Exact conversion between ND4J arrays and checkpoint blobs (C order, dtype kept). */
final class Tensors {
  private Tensors() {}

  static TensorBlob toBlob(String name, INDArray array) {
    INDArray c = array.isView() || array.ordering() != 'c' ? array.dup('c') : array;
    long[] shape = c.shape();
    return switch (c.dataType()) {
      case FLOAT -> TensorBlob.ofFloats(name, shape, c.data().asFloat());
      case DOUBLE -> TensorBlob.ofDoubles(name, shape, c.data().asDouble());
      case LONG -> TensorBlob.ofLongs(name, shape, c.data().asLong());
      default -> throw new IllegalArgumentException(name + ": cannot checkpoint dtype " + c.dataType());
    };
  }

  static INDArray toArray(TensorBlob blob) {
    long[] shape = blob.shape();
    return switch (blob.dtype()) {
      case "f4" -> Nd4j.create(blob.floats(), shape, 'c');
      case "f8" -> Nd4j.create(blob.doubles(), shape, 'c');
      case "i8" -> Nd4j.createFromArray(blob.longs()).reshape(shape).castTo(DataType.LONG);
      default -> throw new IllegalArgumentException(blob.name() + ": unsupported dtype " + blob.dtype());
    };
  }

  static ArrayList<TensorBlob> toBlobs(String prefix, Map<String, INDArray> arrays) {
    ArrayList<TensorBlob> blobs = new ArrayList<>(arrays.size());
    arrays.forEach((name, array) -> blobs.add(toBlob(prefix + name, array)));
    return blobs;
  }

  /** Blobs whose names start with {@code prefix}, by name without it, in their stored order. */
  static Map<String, INDArray> toArrays(String prefix, List<TensorBlob> blobs) {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    for (TensorBlob blob : blobs) {
      if (blob.name().startsWith(prefix)) {
        arrays.put(blob.name().substring(prefix.length()), toArray(blob));
      }
    }
    return arrays;
  }

  static List<String> names(List<TensorBlob> blobs) {
    return blobs.stream().map(TensorBlob::name).toList();
  }
}
