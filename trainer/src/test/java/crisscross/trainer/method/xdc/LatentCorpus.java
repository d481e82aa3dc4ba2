package crisscross.trainer.method.xdc;

import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.SampleRef;
import crisscross.pipeline.stream.Batch;
import crisscross.trainer.method.FeatureFile;
import crisscross.trainer.method.SampleFeatures;
import crisscross.trainer.model.Encoders;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.step.TrainingStepIT;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An in-memory corpus whose video and audio clips are noisy linear images of one latent vector per sample (the
 * structure {@code TrainingStepIT} trains every Table 1 variant on), with the batches of a run over it and a
 * {@link SampleFeatures} that runs the encoders on each sample's first clips, as the extraction path does on files.
 */
final class LatentCorpus implements SampleFeatures {
  final int samples;
  final ModelSettings settings;
  /** [sample][view] flat inputs: v1, v2, a1, a2. */
  final float[][][] clips;
  int extractions;

  LatentCorpus(ModelSettings settings, int samples, long seed) {
    this.samples = samples;
    this.settings = settings;
    float[][] views = TrainingStepIT.latentBatch(settings, samples, seed);
    clips = new float[samples][4][];
    for (int v = 0; v < 4; v++) {
      int size = views[v].length / samples;
      for (int i = 0; i < samples; i++) {
        clips[i][v] = java.util.Arrays.copyOfRange(views[v], i * size, (i + 1) * size);
      }
    }
  }

  List<SampleRef> refs() {
    List<SampleRef> refs = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      refs.add(new SampleRef(i, "s" + i, "mem://" + i, Optional.empty(), "train", "s" + i));
    }
    return refs;
  }

  /** The {@code step}-th batch of {@code epoch}: samples in an order shuffled per epoch. */
  Batch batch(int epoch, int step, int batchSize) {
    int[] order = new int[samples];
    for (int i = 0; i < samples; i++) {
      order[i] = i;
    }
    SampleRandom shuffle = SampleRandom.of(77).fork(epoch);
    for (int i = samples - 1; i > 0; i--) {
      int j = shuffle.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] indices = new int[batchSize];
    String[] ids = new String[batchSize];
    float[][] views = new float[4][];
    for (int v = 0; v < 4; v++) {
      views[v] = new float[batchSize * clips[0][v].length];
    }
    for (int b = 0; b < batchSize; b++) {
      int sample = order[step * batchSize + b];
      indices[b] = sample;
      ids[b] = "s" + sample;
      for (int v = 0; v < 4; v++) {
        System.arraycopy(clips[sample][v], 0, views[v], b * clips[sample][v].length, clips[sample][v].length);
      }
    }
    long start = (long) step * batchSize;
    return new Batch(epoch, start, start + batchSize, batchSize, indices, ids, List.of(views[0], views[1]),
        List.of(views[2], views[3]), List.of(), (step + 1) * batchSize >= samples);
  }

  @Override
  public FeatureFile extract(Encoders encoders, Modality modality, Path file, String label) throws java.io.IOException {
    extractions++;
    int view = modality == Modality.VIDEO ? 0 : 2;
    long[] shape = settings.viewShape(modality);
    long[] batchShape = new long[shape.length + 1];
    batchShape[0] = samples;
    System.arraycopy(shape, 0, batchShape, 1, shape.length);
    float[] flat = new float[samples * clips[0][view].length];
    for (int i = 0; i < samples; i++) {
      System.arraycopy(clips[i][view], 0, flat, i * clips[i][view].length, clips[i][view].length);
    }
    int dim = settings.channels(modality)[3];
    FeatureFile out = FeatureFile.create(file, samples, dim);
    try (INDArray input = Nd4j.create(flat, batchShape, 'c');
        INDArray maps = encoders.featureMaps(modality, input);
        INDArray pooled = maps.mean(modality == Modality.VIDEO ? new int[] {2, 3, 4} : new int[] {2, 3})) {
      float[] values = pooled.dup('c').data().asFloat();
      for (int i = 0; i < samples; i++) {
        float[] row = new float[dim];
        System.arraycopy(values, i * dim, row, 0, dim);
        out.put(i, row);
      }
    }
    return out;
  }

  @Override
  public void close() {}
}
