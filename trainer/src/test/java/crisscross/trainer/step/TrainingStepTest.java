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
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void lossFallsWithoutCollapseForEveryVariantOfTable1() {
    OptimSettings optim = OptimSettings.paper().withEpochs(1, 0).withLearningRates(1e-3, 1e-3, 1e-2);
    float[][] b = batch(SMALL, 1);
    for (String name : Objectives.names()) {
      Objective objective = Objectives.byName(name);
      int steps = 20;
      try (TrainingStep step = TrainingStep.create(SMALL, objective, optim, steps, 3)) {
        List<Double> losses = new ArrayList<>();
        double collapse = 0;
        for (int i = 0; i < steps; i++) {
          StepResult r = step.run(b[0], b[1], b[2], b[3], BATCH);
          losses.add(r.total());
          collapse = r.collapse();
        }
        double first = losses.subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(steps - 3, steps).stream().mapToDouble(Double::doubleValue).average()
            .orElseThrow();
        System.out.println(String.format("%-16s %.4f -> %.4f collapse %.4f (1/sqrt(d) = %.4f)", name, first, last, collapse,
            1 / Math.sqrt(SMALL.projectorOut())));
        assertThat(last).as(name).isLessThan(first - 0.05);
        assertThat(collapse).as(name + " collapse indicator").isGreaterThan(0.25 / Math.sqrt(SMALL.projectorOut()));
      }
    }
  }
}
