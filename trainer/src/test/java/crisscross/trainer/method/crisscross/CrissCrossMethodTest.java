package crisscross.trainer.method.crisscross;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.Methods;
import crisscross.trainer.model.GraphBuilder;
import crisscross.trainer.model.HeadGraph;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.TrainingGraph;
import crisscross.trainer.model.View;
import crisscross.trainer.optim.LrRule;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.optim.ParameterGroup;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CrissCrossMethodTest {
  private static final OptimSettings OPTIM = OptimSettings.paper();

  @Test
  void everyRowOfTable1IsRegisteredWithTheViewsItNeeds() {
    assertThat(Variants.names()).containsExactlyInAnyOrder("v1v2", "a1a2", "intra", "sync", "async",
        "sync+intra", "sync+async", "async+intra", "v1v2+sync+async", "a1a2+sync+async", "crisscross");
    assertThat(method("v1v2").views()).containsExactly(View.V1, View.V2);
    assertThat(method("A1A2").views()).containsExactly(View.A1, View.A2);
    assertThat(method("a1a2").variant()).isEqualTo("a1a2");
    assertThat(method("sync").views()).containsExactly(View.V1, View.V2, View.A1, View.A2);
    assertThatThrownBy(() -> method("xdc")).hasMessageContaining("known: ").hasMessageContaining("crisscross");
  }

  private static CrissCrossMethod method(String loss) {
    return new CrissCrossMethod(CrissCrossSettings.of(loss, OPTIM));
  }

  @Test
  void encodersFollowTheScheduleAndPredictorsKeepTheirRate() {
    CrissCrossMethod m = method("crisscross");
    ParameterGroup videoEncoder = m.group("video_backbone.stem_conv.weight");
    assertThat(m.group("video_projector.fc1.bias")).isEqualTo(videoEncoder);
    assertThat(videoEncoder.label()).isEqualTo("video_encoder");
    assertThat(videoEncoder.rule()).isEqualTo(new LrRule.Scheduled(OPTIM.baseLr(), OPTIM.finalLr()));
    assertThat(m.group("audio_predictor.fc2.weight").rule()).isEqualTo(new LrRule.Constant(OPTIM.predictorLr()));
    assertThat(m.groups()).extracting(ParameterGroup::label)
        .containsExactly("video_encoder", "video_predictor", "audio_encoder", "audio_predictor");
    assertThatThrownBy(() -> m.group("xdc_head.fc.weight")).hasMessageContaining("xdc_head.fc.weight");
    assertThatThrownBy(() -> method("a1a2").group("video_backbone.stem_conv.weight"))
        .hasMessageContaining("belongs to no group");
  }

  /** Table 3's variants build the heads they name, with their own groups. */
  @Test
  void table3VariantsBuildACommonPredictorOrATwoLayerProjector() {
    CrissCrossMethod common = new CrissCrossMethod(CrissCrossSettings.of("crisscross", OPTIM)
        .withPredictor(CrissCrossSettings.Predictor.COMMON));
    CrissCrossMethod shortProjector = new CrissCrossMethod(CrissCrossSettings.of("crisscross", OPTIM)
        .withProjectorLayers(2));
    ModelSettings small = ModelSettings.tiny().withInputs(2, 16, 16, 16);
    try (TrainingGraph a = TrainingGraph.create(small, common.views(), common.heads(small), 1);
        TrainingGraph b = TrainingGraph.create(small, shortProjector.views(), shortProjector.heads(small), 1)) {
      assertThat(a.parameterCounts()).containsKey("common_predictor").doesNotContainKeys("video_predictor",
          "audio_predictor");
      assertThat(common.groups()).extracting(ParameterGroup::label)
          .containsExactly("video_encoder", "audio_encoder", "predictor");
      assertThat(common.group("common_predictor.fc1.weight").isConstant()).isTrue();
      assertThat(b.parameters()).containsKey("video_projector.fc2.weight").doesNotContainKey(
          "video_projector.fc3.weight");
      assertThat(b.parameters().get("audio_projector.fc2.weight").shape()).containsExactly(
          (long) small.projectorOut(), small.projectorHidden());
      // The backbones start from the same weights whatever the heads (each parameter from its own fork, by name).
      assertThat(a.parameters().get("video_backbone.stem_conv.weight"))
          .isEqualTo(b.parameters().get("video_backbone.stem_conv.weight"));
    }
  }

  @Test
  void ratesDefaultToAppendixG1ForTheUnimodalRowsAndOptimOtherwise() {
    assertThat(settings("crisscross.loss=v1v2")).extracting(CrissCrossSettings::baseLr,
        CrissCrossSettings::predictorLr).containsExactly(1e-4, 1e-3);
    assertThat(settings("crisscross.loss=a1a2")).extracting(CrissCrossSettings::baseLr,
        CrissCrossSettings::predictorLr).containsExactly(1e-5, 1e-4);
    assertThat(settings("crisscross.loss=sync+async", "optim.base-lr=3e-4")).extracting(
        CrissCrossSettings::baseLr, CrissCrossSettings::predictorLr).containsExactly(3e-4, 2e-3);
    assertThat(settings("crisscross.loss=v1v2", "crisscross.base-lr=5e-4", "crisscross.predictor-lr=base"))
        .extracting(CrissCrossSettings::baseLr, CrissCrossSettings::predictorLr).containsExactly(5e-4, 5e-4);
    assertThatThrownBy(() -> settings("crisscross.base-lr=base")).hasMessageContaining("crisscross.base-lr");
    assertThatThrownBy(() -> settings("crisscross.predictor-lr=fast")).hasMessageContaining("crisscross.predictor-lr");
  }

  @Test
  void theLegacyObjectiveKeySelectsCrissCrossWithThatLoss() {
    Settings legacy = ConfigLoader.load(List.of(), List.of("objective=sync+intra"));
    Method m = Methods.from(legacy);
    assertThat(m.name()).isEqualTo("crisscross");
    assertThat(m.variant()).isEqualTo("sync+intra");
    Settings file = ConfigLoader.load(List.of(com.typesafe.config.ConfigFactory.parseString("objective = a1a2")),
        List.of());
    assertThat(Methods.from(file).views()).containsExactly(View.A1, View.A2);
  }

  private static CrissCrossSettings settings(String... overrides) {
    Settings s = ConfigLoader.load(List.of(), List.of(overrides));
    return CrissCrossSettings.from(s, OptimSettings.from(s));
  }

  /** Heads with fixed p and z per view, and each objective's total recomputed by hand from Eq. 1-5. */
  @Test
  void lossTermsFollowEquations1To5() {
    long seed = 5;
    Map<View, double[][]> p = new HashMap<>();
    Map<View, double[][]> z = new HashMap<>();
    Nd4j.getRandom().setSeed(seed);
    for (View v : View.values()) {
      p.put(v, Nd4j.randn(DataType.DOUBLE, 3, 5).toDoubleMatrix());
      z.put(v, Nd4j.randn(DataType.DOUBLE, 3, 5).toDoubleMatrix());
    }
    Map<String, Double> pair = Map.of(
        "Lv1v2", sym(p, z, View.V1, View.V2), "La1a2", sym(p, z, View.A1, View.A2),
        "Lv1a1", sym(p, z, View.V1, View.A1), "Lv2a2", sym(p, z, View.V2, View.A2),
        "Lv1a2", sym(p, z, View.V1, View.A2), "La1v2", sym(p, z, View.A1, View.V2));
    double intra = (pair.get("Lv1v2") + pair.get("La1a2")) / 2;
    double sync = (pair.get("Lv1a1") + pair.get("Lv2a2")) / 2;
    double async = (pair.get("Lv1a2") + pair.get("La1v2")) / 2;
    Map<String, Double> expected = Map.ofEntries(
        Map.entry("v1v2", pair.get("Lv1v2")), Map.entry("a1a2", pair.get("La1a2")), Map.entry("intra", intra),
        Map.entry("sync", sync), Map.entry("async", async), Map.entry("sync+intra", (sync + intra) / 2),
        Map.entry("sync+async", (sync + async) / 2), Map.entry("async+intra", (async + intra) / 2),
        Map.entry("v1v2+sync+async", (pair.get("Lv1v2") + sync + async) / 3),
        Map.entry("a1a2+sync+async", (pair.get("La1a2") + sync + async) / 3),
        Map.entry("crisscross", (intra + sync + async) / 3));
    double sixth = pair.values().stream().mapToDouble(Double::doubleValue).sum() / 6;
    assertThat(expected.get("crisscross")).isCloseTo(sixth, within(1e-15));
    for (String name : Variants.names()) {
      CrissCrossMethod objective = method(name);
      SameDiff sd = SameDiff.create();
      Map<View, Map<String, SDVariable>> heads = new LinkedHashMap<>();
      for (View v : objective.views()) {
        heads.put(v, Map.of("z", sd.constant(Nd4j.createFromArray(z.get(v))),
            "p", sd.constant(Nd4j.createFromArray(p.get(v)))));
      }
      HeadGraph.LossGraph loss = objective.heads(ModelSettings.tiny()).loss(builder(sd), heads);
      List<String> names = new java.util.ArrayList<>(loss.terms().values().stream().map(SDVariable::name).toList());
      names.add(loss.total().name());
      Map<String, INDArray> out = sd.output(Map.of(), names.toArray(String[]::new));
      assertThat(out.get(loss.total().name()).getDouble(0)).as(name).isCloseTo(expected.get(name), within(1e-12));
      for (Map.Entry<String, SDVariable> term : loss.terms().entrySet()) {
        if (pair.containsKey(term.getKey())) {
          assertThat(out.get(term.getValue().name()).getDouble(0)).as(name + " " + term.getKey())
              .isCloseTo(pair.get(term.getKey()), within(1e-12));
        }
      }
    }
    SameDiff graph = SameDiff.create();
    Map<View, Map<String, SDVariable>> all = new LinkedHashMap<>();
    for (View v : View.values()) {
      all.put(v, Map.of("z", graph.constant(Nd4j.createFromArray(z.get(v))),
          "p", graph.constant(Nd4j.createFromArray(p.get(v)))));
    }
    Set<String> crissCrossTerms = method("crisscross").heads(ModelSettings.tiny()).loss(builder(graph), all)
        .terms().keySet();
    assertThat(crissCrossTerms).containsExactly("Lv1v2", "La1a2", "Lv1a1", "Lv2a2", "Lv1a2", "La1v2",
        "L_intra", "L_sync", "L_async");
    assertThat(method("crisscross").termLabels()).containsExactlyElementsOf(crissCrossTerms);
  }

  private static GraphBuilder builder(SameDiff sd) {
    return new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, DataType.DOUBLE, SampleRandom.of(0));
  }

  private static double sym(Map<View, double[][]> p, Map<View, double[][]> z, View x, View y) {
    return (CosineDistance.of(p.get(x), z.get(y)) + CosineDistance.of(p.get(y), z.get(x))) / 2;
  }

  @Test
  void noGradientFlowsThroughTheStopGradientOnZ() {
    SameDiff sd = SameDiff.create();
    SDVariable p = sd.var("p", Nd4j.createFromArray(new double[][] {{1, 2, 3}, {0.5, -1, 2}}));
    SDVariable z = sd.var("z", Nd4j.createFromArray(new double[][] {{2, 0, 1}, {1, 1, -1}}));
    SDVariable d = CosineDistance.define(sd, p, z);
    d.markAsLoss();
    Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "p", "z");
    assertThat(grads.get("p").norm2Number().doubleValue()).isGreaterThan(0.1);
    INDArray gz = grads.get("z");
    assertThat(gz == null || gz.norm2Number().doubleValue() == 0.0).as("gradient into z: " + gz).isTrue();
    double expected = CosineDistance.of(new double[][] {{1, 2, 3}, {0.5, -1, 2}},
        new double[][] {{2, 0, 1}, {1, 1, -1}});
    assertThat(sd.output(Map.of(), d.name()).get(d.name()).getDouble(0)).isCloseTo(expected, within(1e-14));
  }
}
