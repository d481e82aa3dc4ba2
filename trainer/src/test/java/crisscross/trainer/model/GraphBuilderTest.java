package crisscross.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.random.SampleRandom;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GraphBuilder#conv3d} maps every convolution shape of R(2+1)D onto conv2d over a channels-last clip; each
 * mapping must equal libnd4j's own conv3d on the same PyTorch-layout weight, forward and backward. The full-size
 * backbones route the convolutions they should to {@link GemmConvolution}.
 */
class GraphBuilderTest {
  @Test
  void fullSizeBackbonesRunTheStemsAndTheirFewPositionLayersAsMatrixProducts() {
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, DataType.FLOAT, SampleRandom.of(1));
    int[] channels = {64, 128, 256, 512};
    SDVariable clip = sd.placeHolder("clip", DataType.FLOAT, -1, 3, 8, 112, 112);
    Networks.videoFeatures(g, "video", g.clip(clip, 8, 112, 112, 3), channels);
    SDVariable spectrogram = sd.placeHolder("spectrogram", DataType.FLOAT, -1, 1, 80, 200);
    Networks.audioFeatures(g, "audio", spectrogram, 80, 200, channels);

    List<GemmConvolution> gemm = java.util.Arrays.stream(sd.ops())
        .filter(GemmConvolution.class::isInstance).map(GemmConvolution.class::cast).collect(Collectors.toList());
    Map<String, Long> byWeight = gemm.stream().collect(Collectors.groupingBy(
        op -> op.args()[1].name().replaceAll("\\.(layer\\d)\\..*", ".$1").replace(".weight", ""),
        java.util.TreeMap::new, Collectors.counting()));
    // Video: the stem and layer 4's eight spatial and temporal convolutions (16 positions); layer 3 has 98. Audio:
    // the stem, layer 3 (65 positions) and layer 4 (21), four 3x3 convolutions each. 1x1 shortcuts stay libnd4j's.
    assertThat(byWeight).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
        "video.stem_conv", 1L, "video.layer4", 8L, "audio.conv1", 1L, "audio.layer3", 4L, "audio.layer4", 4L)));
    assertThat(gemm.stream().filter(op -> op.nativeForward).map(op -> op.args()[1].name()))
        .containsExactly("video.stem_conv.weight");
  }

  @ParameterizedTest(name = "kernel {0}x{1}x{2} stride {3}x{4}x{5} pad {6}x{7}x{8}")
  @CsvSource({
      "1,3,3, 1,1,1, 0,1,1", // spatial
      "1,3,3, 1,2,2, 0,1,1", // spatial, downsampling
      "3,1,1, 1,1,1, 1,0,0", // temporal
      "3,1,1, 2,1,1, 1,0,0", // temporal, downsampling
      "1,1,1, 2,2,2, 0,0,0", // shortcut
      "3,7,7, 1,2,2, 1,3,3", // stem: temporal taps stacked as channels
  })
  void conv3dOnChannelsLastClipsEqualsLibnd4jConv3d(int kT, int kH, int kW, int sT, int sH, int sW, int pT, int pH,
      int pW) {
    int in = 3;
    int out = 5;
    long t = 4;
    long h = 9;
    long w = 8;
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, DataType.DOUBLE, SampleRandom.of(3));
    SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 2, in, t, h, w).subi(0.5));
    Clip clip = g.conv3d("c", g.clip(x, t, h, w, in), out, new int[] {kT, kH, kW}, new int[] {sT, sH, sW},
        new int[] {pT, pH, pW});
    SDVariable ours = g.channelsFirst(clip);

    INDArray weight = g.parameterValues().get("c.weight");
    SDVariable reference = sd.var("reference_weight", weight.dup('c'));
    Conv3DConfig config = Conv3DConfig.builder().kD(kT).kH(kH).kW(kW).sD(sT).sH(sH).sW(sW).pD(pT).pH(pH).pW(pW)
        .dD(1).dH(1).dW(1).paddingMode(PaddingMode.VALID).biasUsed(false).dataFormat(Conv3DConfig.NCDHW).build();
    SDVariable expected = sd.cnn().conv3d(x, sd.permute(reference, 2, 3, 4, 1, 0), config);

    INDArray probe = Nd4j.rand(DataType.DOUBLE, 2, out, clip.frames(), clip.height(), clip.width());
    SDVariable loss = ours.mul(sd.constant(probe)).sum().add(expected.mul(sd.constant(probe)).sum());
    loss.markAsLoss();
    KernelSession.install(sd, null);
    KernelSession.forGradients(sd, null);
    Map<String, INDArray> values = sd.output(Map.of(), ours.name(), expected.name());
    assertThat(values.get(ours.name()).shape()).isEqualTo(values.get(expected.name()).shape());
    assertThat(values.get(ours.name()).equalsWithEps(values.get(expected.name()), 1e-12)).isTrue();

    Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "c.weight", "reference_weight");
    INDArray ourWeightGrad = g.toPytorchLayout("c.weight", grads.get("c.weight"));
    assertThat(ourWeightGrad.shape()).containsExactly(out, in, kT, kH, kW);
    assertThat(ourWeightGrad.equalsWithEps(grads.get("reference_weight"), 1e-10)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"spatial", "temporal"})
  void parameterViewsShareTheGraphArrays(String which) {
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, DataType.FLOAT, SampleRandom.of(1));
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2, 4, 6, 6);
    int[] kernel = which.equals("spatial") ? new int[] {1, 3, 3} : new int[] {3, 1, 1};
    int[] pad = which.equals("spatial") ? new int[] {0, 1, 1} : new int[] {1, 0, 0};
    g.conv3d("c", g.clip(x, 4, 6, 6, 2), 3, kernel, new int[] {1, 1, 1}, pad);
    INDArray view = g.parameterValues().get("c.weight");
    assertThat(view.shape()).containsExactly(3, 2, kernel[0], kernel[1], kernel[2]);
    view.putScalar(new long[] {2, 1, 0, 0, 0}, 42f);
    INDArray graph = sd.getVariable("c.weight").getArr();
    assertThat(g.toPytorchLayout("c.weight", graph).getFloat(2, 1, 0, 0, 0)).isEqualTo(42f);
    assertThatThrownBy(() -> g.conv3d("c", g.clip(x, 4, 6, 6, 2), 3, new int[] {1, 1, 1}, new int[] {1, 1, 1},
        new int[] {0, 0, 0})).hasMessageContaining("another layout");
  }

  /**
   * Values given to the builder (a pretrained backbone being finetuned) are copied into the graph; the PyTorch
   * views must follow the graph's arrays, which the optimiser updates, and not the given arrays (they once did,
   * so a finetuned classifier was scored with its initial weights).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"c.weight", "n.weight"})
  void parameterViewsOfGivenValuesFollowTheGraphArrays(String name) {
    SameDiff sd = SameDiff.create();
    Map<String, INDArray> given = Map.of(
        "c.weight", Nd4j.rand(DataType.FLOAT, 3, 2, 1, 3, 3),
        "n.weight", Nd4j.rand(DataType.FLOAT, 3));
    GraphBuilder g = new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, DataType.FLOAT, SampleRandom.of(1), given);
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2, 4, 6, 6);
    Clip conv = g.conv3d("c", g.clip(x, 4, 6, 6, 2), 3, new int[] {1, 3, 3}, new int[] {1, 1, 1},
        new int[] {0, 1, 1});
    g.batchNorm("n", conv.value(), 3, 5, 4 * 6 * 6, true);
    INDArray original = given.get(name).dup();
    INDArray view = g.parameterValues().get(name);
    assertThat(view.equalsWithEps(original, 0)).as("starts at the given value").isTrue();

    INDArray graph = sd.getVariable(name).getArr();
    assertThat(g.graphValues().get(name)).as("the graph's own array").isSameAs(graph);
    graph.addi(1); // what an optimiser step does
    assertThat(view.equalsWithEps(original.add(1), 1e-6)).as("the view sees the graph's update").isTrue();
    assertThat(given.get(name).equalsWithEps(original, 0)).as("the given array is not changed").isTrue();
  }
}
