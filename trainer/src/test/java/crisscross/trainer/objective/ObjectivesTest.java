package crisscross.trainer.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import crisscross.trainer.model.Modality;
import crisscross.trainer.model.View;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ObjectivesTest {
  @Test
  void everyRowOfTable1IsRegisteredWithTheModalitiesItNeeds() {
    assertThat(Objectives.names()).containsExactlyInAnyOrder("v1v2", "a1a2", "intra", "sync", "async",
        "sync+intra", "sync+async", "async+intra", "v1v2+sync+async", "a1a2+sync+async", "crisscross");
    assertThat(Objectives.byName("v1v2").modalities()).containsExactly(Modality.VIDEO);
    assertThat(Objectives.byName("A1A2").modalities()).containsExactly(Modality.AUDIO);
    assertThat(Objectives.byName("sync").modalities()).containsExactlyInAnyOrder(Modality.VIDEO, Modality.AUDIO);
    assertThatThrownBy(() -> Objectives.byName("xdc")).hasMessageContaining("known: ").hasMessageContaining("crisscross");
  }

  /** Heads with fixed p and z per view, and each objective's total recomputed by hand from Eq. 1-5. */
  @Test
  void lossTermsFollowEquations1To5() {
    long seed = 5;
    Map<View, double[][]> p = new EnumMap<>(View.class);
    Map<View, double[][]> z = new EnumMap<>(View.class);
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
    for (String name : Objectives.names()) {
      Objective objective = Objectives.byName(name);
      SameDiff sd = SameDiff.create();
      Map<View, Objective.Heads> heads = new EnumMap<>(View.class);
      for (View v : View.of(objective.modalities())) {
        heads.put(v, new Objective.Heads(sd.constant(Nd4j.createFromArray(z.get(v))),
            sd.constant(Nd4j.createFromArray(p.get(v)))));
      }
      Objective.LossGraph loss = objective.define(sd, heads);
      Map<String, INDArray> out = sd.output(Map.of(), loss.terms().values().stream().map(SDVariable::name)
          .toArray(String[]::new));
      assertThat(out.get(loss.total().name()).getDouble(0)).as(name).isCloseTo(expected.get(name), within(1e-12));
      for (Map.Entry<String, SDVariable> term : loss.terms().entrySet()) {
        if (pair.containsKey(term.getKey())) {
          assertThat(out.get(term.getValue().name()).getDouble(0)).as(name + " " + term.getKey())
              .isCloseTo(pair.get(term.getKey()), within(1e-12));
        }
      }
    }
    SameDiff graph = SameDiff.create();
    Set<String> crissCrossTerms = Objectives.byName("crisscross").define(graph, constantHeads(graph, p, z))
        .terms().keySet();
    assertThat(crissCrossTerms).containsExactlyInAnyOrder("Lv1v2", "La1a2", "Lv1a1", "Lv2a2", "Lv1a2", "La1v2",
        "L_intra", "L_sync", "L_async", "total");
  }

  private static Map<View, Objective.Heads> constantHeads(SameDiff sd, Map<View, double[][]> p,
      Map<View, double[][]> z) {
    Map<View, Objective.Heads> heads = new EnumMap<>(View.class);
    for (View v : View.values()) {
      heads.put(v, new Objective.Heads(sd.constant(Nd4j.createFromArray(z.get(v))),
          sd.constant(Nd4j.createFromArray(p.get(v)))));
    }
    return heads;
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

  @Test
  void collapseIndicatorIsAboutOneOverRootDWhenHealthyAndZeroWhenCollapsed() {
    Nd4j.getRandom().setSeed(1);
    int d = 64;
    double healthy = CollapseIndicator.of(Nd4j.randn(DataType.DOUBLE, 512, d));
    assertThat(healthy).isCloseTo(1 / Math.sqrt(d), within(0.01));
    double[][] collapsed = new double[8][d];
    for (double[] row : collapsed) {
      java.util.Arrays.fill(row, 0.3);
    }
    assertThat(CollapseIndicator.of(collapsed)).isCloseTo(0.0, within(1e-12));
  }
}
