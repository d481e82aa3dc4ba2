package crisscross.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.stream.Batch;
import crisscross.trainer.checkpoint.ModelSnapshot;
import crisscross.trainer.checkpoint.ParameterDigest;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.step.TrainingStep;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelEngineTest {
  static final ModelSettings SMALL = new ModelSettings(new int[] {4, 8, 8, 16}, new int[] {4, 8, 8, 16}, 32, 32, 8,
      8, 16, 16, 24, org.nd4j.linalg.api.buffer.DataType.FLOAT);

  static ModelEngine engine(String objectiveName, long seed) {
    Method objective = CrissCrossMethod.of(objectiveName, OptimSettings.paper());
    return new ModelEngine(TrainingStep.create(SMALL, objective, OptimSettings.paper(), 10, seed));
  }

  static Batch batch(int index, boolean video) {
    int b = 3;
    SampleRandom random = SampleRandom.of(1000 + index);
    float[][] views = new float[4][];
    for (int v = 0; v < 4; v++) {
      int length = v < 2 ? b * 3 * 8 * 16 * 16 : b * 16 * 24;
      if (v < 2 && !video) {
        continue;
      }
      views[v] = new float[length];
      for (int i = 0; i < length; i++) {
        views[v][i] = (float) random.nextGaussian();
      }
    }
    return new Batch(0, index * b, index * b + b, b, new int[] {0, 1, 2}, new String[] {"a", "b", "c"},
        video ? List.of(views[0], views[1]) : List.of(), List.of(views[2], views[3]), List.of(), false);
  }

  @Test
  void aRestoredSnapshotContinuesBitIdentically() {
    String straight;
    ModelSnapshot midway;
    try (ModelEngine engine = engine("crisscross", 1)) {
      assertThat(engine.termNames()).contains("L_intra", "L_sync", "L_async");
      engine.train(batch(0, true));
      engine.train(batch(1, true));
      midway = engine.snapshot();
      engine.train(batch(2, true));
      TrainingEngineReport last = TrainingEngineReport.of(engine.train(batch(3, true)));
      assertThat(last.finite()).isTrue();
      straight = ParameterDigest.sha256(engine.snapshot().parameters());
    }
    try (ModelEngine resumed = engine("crisscross", 99)) {
      resumed.restore(midway);
      assertThat(ParameterDigest.sha256(resumed.snapshot().parameters()))
          .isEqualTo(ParameterDigest.sha256(midway.parameters()));
      resumed.train(batch(2, true));
      resumed.train(batch(3, true));
      assertThat(ParameterDigest.sha256(resumed.snapshot().parameters())).isEqualTo(straight);
    }
  }

  @Test
  void audioOnlyObjectivesTrainOnAudioOnlyBatches() {
    try (ModelEngine engine = engine("a1a2", 3)) {
      var report = engine.train(batch(0, false));
      assertThat(report.total()).isBetween(-1.0, 1.0);
      assertThat(engine.snapshot().parameters()).allSatisfy(blob -> assertThat(blob.name()).startsWith("audio_"));
    }
  }

  /** The numbers a step reports, checked for being numbers. */
  record TrainingEngineReport(double total, double[] terms) {
    static TrainingEngineReport of(crisscross.trainer.actor.TrainingEngine.StepReport report) {
      return new TrainingEngineReport(report.total(), report.terms());
    }

    boolean finite() {
      for (double t : terms) {
        if (!Double.isFinite(t)) {
          return false;
        }
      }
      return Double.isFinite(total);
    }
  }
}
