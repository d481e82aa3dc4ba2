package crisscross.trainer.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.stream.Batch;
import crisscross.trainer.checkpoint.ModelSnapshot;
import crisscross.trainer.checkpoint.ParameterDigest;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.model.GraphBuilder;
import crisscross.trainer.model.HeadGraph;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.View;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.optim.ParameterGroup;
import crisscross.trainer.run.ModelEngine;
import crisscross.trainer.step.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The method seam on a method with state and an input of its own: CrissCross's heads with the loss scaled by a
 * per-step placeholder the method supplies, and a memory of the sample indices and feature norms it has seen,
 * checkpointed as method tensors.
 */
class MethodSeamTest {
  static final ModelSettings SMALL = new ModelSettings(new int[] {4, 8, 8, 16}, new int[] {4, 8, 8, 16}, 32, 32, 8,
      8, 16, 16, 24, DataType.FLOAT);
  static final OptimSettings OPTIM = OptimSettings.paper();

  /** CrissCross with a loss weight placeholder and a remembered history (the shape of XDC's or a queue's state). */
  static final class RememberingMethod implements Method {
    private final CrissCrossMethod inner = CrissCrossMethod.of("crisscross", OPTIM);
    private final double weight;
    final List<Long> seen = new ArrayList<>();
    double lastFeatureNorm = Double.NaN;
    int[] lastIndices;

    RememberingMethod(double weight) {
      this.weight = weight;
    }

    @Override
    public String name() {
      return "remembering";
    }

    @Override
    public String variant() {
      return "test";
    }

    @Override
    public List<View> views() {
      return inner.views();
    }

    @Override
    public HeadGraph heads(ModelSettings model) {
      HeadGraph heads = inner.heads(model);
      return new HeadGraph() {
        @Override
        public Map<String, SDVariable> view(GraphBuilder g, View view, SDVariable features, int width) {
          return heads.view(g, view, features, width);
        }

        @Override
        public LossGraph loss(GraphBuilder g, Map<View, Map<String, SDVariable>> views) {
          LossGraph loss = heads.loss(g, views);
          SDVariable w = g.sameDiff().placeHolder("loss_weight", g.dataType());
          return new LossGraph(loss.terms(), loss.total().mul(w));
        }

        @Override
        public List<String> monitoredOutputs() {
          return heads.monitoredOutputs();
        }
      };
    }

    @Override
    public List<String> termLabels() {
      return inner.termLabels();
    }

    @Override
    public ParameterGroup group(String parameterName) {
      return inner.group(parameterName);
    }

    @Override
    public List<ParameterGroup> groups() {
      return inner.groups();
    }

    @Override
    public Map<String, INDArray> stepInputs(int[] sampleIndices) {
      lastIndices = sampleIndices.clone();
      return Map.of("loss_weight", Nd4j.scalar(DataType.FLOAT, (float) weight));
    }

    @Override
    public Set<String> stepOutputs() {
      return Set.of("h");
    }

    @Override
    public void afterStep(StepDone done) {
      for (int i : done.sampleIndices()) {
        seen.add((long) i);
      }
      lastFeatureNorm = done.outputs().get("hv1").norm2Number().doubleValue();
    }

    @Override
    public List<TensorBlob> state() {
      long[] values = seen.stream().mapToLong(Long::longValue).toArray();
      return List.of(TensorBlob.ofLongs("seen", new long[] {values.length}, values));
    }

    @Override
    public void restore(List<TensorBlob> state) {
      seen.clear();
      for (long v : state.get(0).longs()) {
        seen.add(v);
      }
    }
  }

  static Batch batch(int index) {
    int b = 3;
    SampleRandom random = SampleRandom.of(500 + index);
    float[][] views = new float[4][];
    for (int v = 0; v < 4; v++) {
      views[v] = new float[v < 2 ? b * 3 * 8 * 16 * 16 : b * 16 * 24];
      for (int i = 0; i < views[v].length; i++) {
        views[v][i] = (float) random.nextGaussian();
      }
    }
    int[] indices = {10 * index, 10 * index + 1, 10 * index + 2};
    return new Batch(0, index * b, index * b + b, b, indices, new String[] {"a", "b", "c"}, List.of(views[0],
        views[1]), List.of(views[2], views[3]), List.of(), false);
  }

  @Test
  void hooksSeeTheBatchesSamplesAndTheMethodsInputsReachTheLoss() {
    RememberingMethod remembering = new RememberingMethod(1.0);
    RememberingMethod halved = new RememberingMethod(0.5);
    try (TrainingStep plain = TrainingStep.create(SMALL, CrissCrossMethod.of("crisscross", OPTIM), OPTIM, 10, 3);
        TrainingStep weighted = TrainingStep.create(SMALL, remembering, OPTIM, 10, 3);
        TrainingStep half = TrainingStep.create(SMALL, halved, OPTIM, 10, 3)) {
      assertThat(weighted.model().extraInputs()).containsExactly("loss_weight");
      double expected = plain.run(batch(0)).total();
      assertThat(weighted.run(batch(0)).total()).isEqualTo(expected);
      assertThat(half.run(batch(0)).total()).isEqualTo(expected * 0.5f, org.assertj.core.api.Assertions.within(1e-6));
      assertThat(remembering.lastIndices).containsExactly(0, 1, 2);
      assertThat(remembering.seen).containsExactly(0L, 1L, 2L);
      assertThat(remembering.lastFeatureNorm).isPositive().isFinite();
      assertThat(plain.state().model().parameters().keySet())
          .isEqualTo(weighted.state().model().parameters().keySet());
    }
  }

  @Test
  void theMethodsStateIsCheckpointedAndRestoredWithTheWeights() {
    String straight;
    List<Long> seenStraight;
    ModelSnapshot midway;
    RememberingMethod first = new RememberingMethod(1.0);
    try (ModelEngine engine = new ModelEngine(TrainingStep.create(SMALL, first, OPTIM, 10, 1))) {
      engine.train(batch(0));
      engine.train(batch(1));
      midway = engine.snapshot();
      assertThat(midway.method()).hasSize(1);
      assertThat(midway.method().get(0).longs()).containsExactly(0, 1, 2, 10, 11, 12);
      engine.train(batch(2));
      straight = ParameterDigest.sha256(engine.snapshot().parameters());
      seenStraight = List.copyOf(first.seen);
    }
    RememberingMethod second = new RememberingMethod(1.0);
    try (ModelEngine resumed = new ModelEngine(TrainingStep.create(SMALL, second, OPTIM, 10, 99))) {
      resumed.restore(midway);
      assertThat(second.seen).containsExactly(0L, 1L, 2L, 10L, 11L, 12L);
      resumed.train(batch(2));
      assertThat(ParameterDigest.sha256(resumed.snapshot().parameters())).isEqualTo(straight);
      assertThat(second.seen).isEqualTo(seenStraight);
    }
  }

  @Test
  void aStatelessMethodRefusesMethodTensors() {
    Method stateless = CrissCrossMethod.of("crisscross", OPTIM);
    assertThatThrownBy(() -> stateless.restore(List.of(TensorBlob.ofLongs("queue", new long[] {1}, new long[] {1}))))
        .hasMessageContaining("crisscross").hasMessageContaining("queue");
  }
}
