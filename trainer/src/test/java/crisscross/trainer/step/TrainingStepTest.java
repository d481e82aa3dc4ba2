package crisscross.trainer.step;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.ModelState;
import crisscross.trainer.objective.Objective;
import crisscross.trainer.objective.Objectives;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.optim.OptimizerState;
import crisscross.trainer.optim.ParameterGroup;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainingStepTest {
  static final int BATCH = 4;
  /** Tiny widths and inputs: the point is the arithmetic of the step, not the capacity. */
  static final ModelSettings SMALL = new ModelSettings(new int[] {4, 4, 8, 8}, new int[] {4, 4, 8, 8}, 32, 32,
      16, 2, 16, 16, 24, DataType.FLOAT);

  static float[] noise(long seed, int n) {
    SampleRandom r = SampleRandom.of(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  static float[][] batch(ModelSettings s, long seed) {
    int v = BATCH * s.viewSize(crisscross.trainer.model.Modality.VIDEO);
    int a = BATCH * s.viewSize(crisscross.trainer.model.Modality.AUDIO);
    return new float[][] {noise(seed, v), noise(seed + 1, v), noise(seed + 2, a), noise(seed + 3, a)};
  }

  @Test
  void resumedTrainingEqualsUninterruptedTrainingBitForBit() {
    OptimSettings optim = OptimSettings.paper().withEpochs(2, 1);
    Objective objective = Objectives.byName("crisscross");
    int n = 4;
    TrainingState straight;
    try (TrainingStep a = TrainingStep.create(SMALL, objective, optim, 2, 7)) {
      for (int i = 0; i < n; i++) {
        float[][] b = batch(SMALL, 100 + i);
        a.run(b[0], b[1], b[2], b[3], BATCH);
      }
      straight = a.state();
    }
    TrainingState half;
    try (TrainingStep b = TrainingStep.create(SMALL, objective, optim, 2, 7)) {
      for (int i = 0; i < n / 2; i++) {
        float[][] x = batch(SMALL, 100 + i);
        b.run(x[0], x[1], x[2], x[3], BATCH);
      }
      half = b.state();
    }
    try (TrainingStep c = TrainingStep.create(SMALL, objective, optim, 2, 99)) {
      c.restore(half);
      assertThat(c.step()).isEqualTo(n / 2);
      for (int i = n / 2; i < n; i++) {
        float[][] x = batch(SMALL, 100 + i);
        StepResult r = c.run(x[0], x[1], x[2], x[3], BATCH);
        assertThat(r.step()).isEqualTo(i + 1);
      }
      TrainingState resumed = c.state();
      assertThat(resumed.step()).isEqualTo(straight.step());
      assertBitIdentical(resumed.model().parameters(), straight.model().parameters());
      assertBitIdentical(resumed.model().buffers(), straight.model().buffers());
      assertBitIdentical(resumed.optimizer().firstMoments(), straight.optimizer().firstMoments());
      assertBitIdentical(resumed.optimizer().secondMoments(), straight.optimizer().secondMoments());
    }
  }

  static void assertBitIdentical(Map<String, INDArray> actual, Map<String, INDArray> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String k : expected.keySet()) {
      assertThat(actual.get(k).equalsWithEps(expected.get(k), 0.0)).as(k).isTrue();
    }
  }
}
