package crisscross.trainer.export;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.model.Encoders;
import crisscross.trainer.model.Modality;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backbones' inference outputs on a fixed input, so another framework holding the exported weights can show it
 * computes the same: per modality {@code input.<m>} (uniform in [-2, 2) from a seed, the model's view shape),
 * {@code features.<m>} (the layer4 feature map, channels first, BN with running statistics) and
 * {@code embedding.<m>} (its mean over the non-channel axes: the [B, C4] representation). Written by
 * {@code crisscross export --forward-check} as {@value #FILE}; {@code tools/export/check_export.py} compares.
 */
public final class ForwardCheck {
  public static final String FILE = "forward-check.safetensors";

  private ForwardCheck() {}

  public static List<TensorBlob> compute(Encoders encoders, int batch, long seed) {
    List<TensorBlob> out = new ArrayList<>();
    for (Modality m : encoders.modalities()) {
      long[] view = encoders.settings().viewShape(m);
      long[] shape = new long[view.length + 1];
      shape[0] = batch;
      System.arraycopy(view, 0, shape, 1, view.length);
      SampleRandom random = SampleRandom.of(seed).fork("forward-check").fork(m.prefix());
      float[] values = new float[Math.toIntExact((long) batch * encoders.settings().viewSize(m))];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.uniform(-2, 2);
      }
      try (INDArray input = Nd4j.create(values, shape, 'c');
          INDArray features = encoders.featureMaps(m, input)) {
        int[] spatial = new int[features.rank() - 2];
        for (int i = 0; i < spatial.length; i++) {
          spatial[i] = i + 2;
        }
        INDArray embedding = features.mean(spatial);
        out.add(blob("input." + m.prefix(), input));
        out.add(blob("features." + m.prefix(), features));
        out.add(blob("embedding." + m.prefix(), embedding));
        embedding.close();
      }
    }
    return out;
  }

  private static TensorBlob blob(String name, INDArray array) {
    INDArray c = array.dup('c');
    try {
      return c.dataType() == DataType.DOUBLE ? TensorBlob.ofDoubles(name, c.shape(), c.data().asDouble())
          : TensorBlob.ofFloats(name, c.shape(), c.castTo(DataType.FLOAT).data().asFloat());
    } finally {
      c.close();
    }
  }
}
