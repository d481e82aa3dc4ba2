package crisscross.evaluation.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.model.Backbones;
import crisscross.trainer.model.ModelSettings;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VideoClassifierTest {
  private static final ModelSettings SMALL = new ModelSettings(new int[] {4, 8, 8, 16}, new int[] {4, 8, 8, 16},
      16, 16, 8, 4, 32, 16, 50, DataType.FLOAT);

  private static INDArray gaussian(long seed, long... shape) {
    SampleRandom random = SampleRandom.of(seed);
    float[] values = new float[Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return Nd4j.create(values, shape, 'c');
  }

  @Test
  void theLossFallsOnAFixedBatchAndScoresAreProbabilities() {
    INDArray clips = gaussian(5, 4, 3, 4, 32, 32);
    int[] labels = {0, 1, 2, 1};
    try (Backbones model = Backbones.initial(SMALL, java.util.Set.of(crisscross.trainer.model.Modality.VIDEO), 1);
        VideoClassifier classifier = VideoClassifier.create(SMALL.videoChannels(), 3, new long[] {4, 32, 32}, model.parameters(),
            model.buffers(), DataType.FLOAT, 2, 0.0);
        SgdMomentum sgd = new SgdMomentum(0.9, 0)) {
      double first = classifier.trainStep(clips, labels, sgd, 0.05, SampleRandom.of(1));
      assertThat(first).as("three classes at a random start: about ln 3").isBetween(0.6, 1.8);
      double last = first;
      for (int step = 0; step < 20; step++) {
        last = classifier.trainStep(clips, labels, sgd, 0.05, SampleRandom.of(1));
      }
      assertThat(last).isLessThan(0.5 * first);
      float[][] scores = classifier.scores(clips);
      assertThat(scores).hasNumberOfRows(4);
      for (float[] row : scores) {
        assertThat(row[0] + row[1] + row[2]).isCloseTo(1f, within(1e-4f));
      }
      assertThat(classifier.buffers().get("video_backbone.stem_bn.running_var").getDouble(0))
          .as("running statistics follow the batches").isNotEqualTo(1.0);
      assertThat(classifier.parameters()).containsKeys("classifier.weight", "classifier.bias");
    }
  }

  @Test
  void dropoutKeepsTheExpectedActivation() {
    INDArray clips = gaussian(6, 2, 3, 4, 32, 32);
    try (Backbones model = Backbones.initial(SMALL, java.util.Set.of(crisscross.trainer.model.Modality.VIDEO), 1);
        VideoClassifier classifier = VideoClassifier.create(SMALL.videoChannels(), 2, new long[] {4, 32, 32}, model.parameters(),
            model.buffers(), DataType.FLOAT, 2, 0.5);
        SgdMomentum sgd = new SgdMomentum(0, 0)) {
      double a = classifier.trainStep(clips, new int[] {0, 1}, sgd, 0.0, SampleRandom.of(1));
      double b = classifier.trainStep(clips, new int[] {0, 1}, sgd, 0.0, SampleRandom.of(2));
      double c = classifier.trainStep(clips, new int[] {0, 1}, sgd, 0.0, SampleRandom.of(1));
      assertThat(a).as("the same mask, the same loss (lr 0: nothing changes)").isEqualTo(c);
      assertThat(a).as("another mask, another loss").isNotEqualTo(b);
    }
  }
}
