package crisscross.trainer.step;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.ModelState;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.optim.OptimizerState;
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
    Method objective = CrissCrossMethod.of("crisscross", OptimSettings.paper());
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

  /**
   * The optimiser works on the graph's layout; the saved moments must be in each parameter's PyTorch layout. After
   * the first Adam step every parameter moved against the sign of its first moment, element by element, so a
   * moment left in (or restored to) the wrong element order shows up as sign mismatches on conv weights.
   */
  @Test
  void savedMomentsFollowTheirParametersElementByElement() {
    try (TrainingStep step = TrainingStep.create(SMALL, CrissCrossMethod.of("crisscross", OptimSettings.paper()),
        OptimSettings.paper(), 2, 5)) {
      ModelState before = step.model().state();
      float[][] b = batch(SMALL, 300);
      step.run(b[0], b[1], b[2], b[3], BATCH);
      TrainingState state = step.state();
      String conv = "video_backbone.layer2.0.conv1.spatial.weight";
      for (String name : new String[] {conv, "audio_backbone.conv1.weight", "video_projector.fc1.weight"}) {
        INDArray moment = state.optimizer().firstMoments().get(name);
        INDArray moved = state.model().parameters().get(name).sub(before.parameters().get(name));
        assertThat(moment.shape()).as(name).isEqualTo(step.model().parameters().get(name).shape());
        float[] m = moment.dup('c').data().asFloat();
        float[] d = moved.dup('c').data().asFloat();
        int agreeing = 0;
        for (int i = 0; i < m.length; i++) {
          if (m[i] != 0 && d[i] != 0 && Math.signum(m[i]) == -Math.signum(d[i])) {
            agreeing++;
          }
        }
        assertThat(agreeing).as(name).isGreaterThan(m.length * 9 / 10);
      }
      try (TrainingStep copy = TrainingStep.create(SMALL,
          CrissCrossMethod.of("crisscross", OptimSettings.paper()), OptimSettings.paper(), 2, 6)) {
        copy.restore(state);
        assertBitIdentical(copy.state().optimizer().firstMoments(), state.optimizer().firstMoments());
        float[][] next = batch(SMALL, 301);
        assertThat(copy.run(next[0], next[1], next[2], next[3], BATCH).total())
            .isEqualTo(step.run(next[0], next[1], next[2], next[3], BATCH).total());
        assertBitIdentical(copy.state().model().parameters(), step.state().model().parameters());
      }
    }
  }

  static void assertBitIdentical(Map<String, INDArray> actual, Map<String, INDArray> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String k : expected.keySet()) {
      assertThat(actual.get(k).equalsWithEps(expected.get(k), 0.0)).as(k).isTrue();
    }
  }
}
