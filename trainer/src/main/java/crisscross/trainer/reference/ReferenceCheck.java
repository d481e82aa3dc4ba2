package crisscross.trainer.reference;

import crisscross.pipeline.io.NpyArray;
import crisscross.trainer.model.TrainingGraph;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.ModelState;
import crisscross.trainer.model.View;
import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.method.crisscross.CrissCrossSettings;
import crisscross.trainer.optim.LarcAdam;
import crisscross.trainer.optim.OptimSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs one CrissCross training step (crisscross objective, LARC+Adam at the reference's constant LRs) from a
 * golden directory's initial weights and inputs, and compares every quantity with the directory's files.
 *
 * <p>Error measure per tensor: max|ours - golden| / max(max|golden|, floor), where floor is a small fraction of
 * the largest magnitude in the tensor's group (so tensors that are zero up to rounding, like the gradient of a
 * bias feeding a BN layer, are judged against the group's scale, not their own noise). For parameters after the
 * step, elements whose golden LARC gradient is too small to have a reproducible sign (|g'| below 1e-6 or below
 * ten times our error on g' for that tensor) may differ by up to {@link #LOOSE_STEPS} learning rates: Adam's
 * first step moves each element by about lr * sign(g'), as the reference README explains.
 */
public final class ReferenceCheck {
  /** Quantity groups in report order. */
  public static final List<String> GROUPS =
      List.of("loss", "act", "grad", "grad_larc", "param_after", "buffer_after");
  /** Allowed |difference| of a parameter element with an unreproducible gradient sign, in learning rates. */
  public static final double LOOSE_STEPS = 2.5;

  private ReferenceCheck() {}

  /** Tolerances for one data type: the worst allowed error per group and the zero floor fraction. */
  public record Tolerances(Map<String, Double> worst, double floor) {
    /**
     * float64 agrees to ~1e-12 on losses and activations and ~2e-7 on the worst gradient (libnd4j's
     * batchnorm_bp sums in a different order); float32 against float64 values: 2e-4 worst observed on losses
     * and gradients of the mini fixture, so tolerances leave a 5-50x margin.
     */
    public static Tolerances of(DataType type) {
      if (type == DataType.DOUBLE) {
        Map<String, Double> t = new LinkedHashMap<>();
        GROUPS.forEach(g -> t.put(g, 1e-6));
        return new Tolerances(t, 1e-8);
      }
      Map<String, Double> t = new LinkedHashMap<>();
      t.put("loss", 1e-3);
      t.put("act", 2e-3);
      t.put("grad", 1e-2);
      t.put("grad_larc", 1e-2);
      t.put("param_after", 1e-3);
      t.put("buffer_after", 1e-3);
      return new Tolerances(t, 1e-4);
    }
  }

  /** Worst error of one group, where it occurred, and how many parameter elements were judged loosely. */
  public record GroupResult(String group, double worst, String worstTensor, int tensors, double tolerance,
      long looseElements) {
    public boolean passed() {
      return worst <= tolerance;
    }
  }

  /** The comparison of one directory. */
  public record Report(String directory, DataType dataType, ModelSettings settings, int batch,
      Map<String, Long> parameterCounts, List<GroupResult> groups) {
    public boolean passed() {
      return groups.stream().allMatch(GroupResult::passed);
    }

    public GroupResult group(String name) {
      return groups.stream().filter(g -> g.group().equals(name)).findFirst().orElseThrow();
    }

    /** One line per group: worst relative error, tolerance, verdict, tensor. */
    public String format() {
      StringBuilder s = new StringBuilder();
      s.append("reference ").append(directory).append(" (").append(dataType == DataType.DOUBLE ? "float64" : "float32")
          .append(", batch ").append(batch).append(")\n");
      s.append("model ").append(settings).append('\n');
      s.append("parameters ").append(parameterCounts).append('\n');
      for (GroupResult g : groups) {
        s.append(String.format(Locale.ROOT, "  %-13s worst rel err %.3e  (tolerance %.0e) %-4s  %3d tensors  at %s%s%n",
            g.group(), g.worst(), g.tolerance(), g.passed() ? "ok" : "FAIL", g.tensors(), g.worstTensor(),
            g.looseElements() > 0 ? "  [" + g.looseElements() + " elements with |g'| too small for a stable sign]"
                : ""));
      }
      s.append(passed() ? "PASS" : "FAIL");
      return s.toString();
    }
  }

  public static Report run(ReferenceData data, DataType type) {
    return run(data, type, Tolerances.of(type));
  }

  public static Report run(ReferenceData data, DataType type, Tolerances tolerances) {
    ModelSettings settings = data.settings(type);
    CrissCrossMethod method = new CrissCrossMethod(CrissCrossSettings.of("crisscross", OptimSettings.paper()));
    try (TrainingGraph model = TrainingGraph.create(settings, method.views(), method.heads(settings), 0)) {
      Map<String, INDArray> params = new LinkedHashMap<>();
      data.group("param_init").forEach((k, v) -> params.put(k, ReferenceData.toArray(v, type)));
      Map<String, INDArray> buffers = new LinkedHashMap<>();
      data.group("buffer_init").forEach((k, v) -> buffers.put(k, ReferenceData.toArray(v, type)));
      model.restore(new ModelState(params, buffers));
      Map<String, INDArray> inputs = new LinkedHashMap<>();
      for (View view : View.values()) {
        inputs.put(view.key(), ReferenceData.toArray(data.get("input." + view.key()), type));
      }
      TrainingGraph.ForwardBackward fb = model.forwardBackward(inputs, Set.of(TrainingGraph.FEATURES, "z", "p"));
      LarcAdam optimizer = new LarcAdam(OptimSettings.paper());
      Map<String, Double> lrs = learningRates(method, model.parameters().keySet());
      LarcAdam.Report step = optimizer.update(model.graphParameters(), fb.gradients(), lrs::get, true);
      Map<String, INDArray> gradients = model.toPytorchLayout(fb.gradients());
      Map<String, INDArray> larcGradients = model.toPytorchLayout(step.larcGradients());

      List<GroupResult> groups = new ArrayList<>();
      Map<String, INDArray> losses = new LinkedHashMap<>();
      data.group("loss").keySet().forEach(k -> losses.put(k, scalar(fb.terms().get(k), k)));
      groups.add(compare("loss", losses, data.group("loss"), tolerances));
      groups.add(compare("act", fb.outputs(), data.group("act"), tolerances));
      groups.add(compare("grad", gradients, data.group("grad"), tolerances));
      groups.add(compare("grad_larc", larcGradients, data.group("grad_larc"), tolerances));
      groups.add(compareParameters(model.parameters(), data, larcGradients, lrs, tolerances));
      groups.add(compare("buffer_after", model.buffers(), data.group("buffer_after"), tolerances));
      return new Report(data.directory().toString(), type, settings, data.batch(), model.parameterCounts(), groups);
    }
  }

  /** The reference's constant LRs: 2e-4 for encoders, 2e-3 for predictors (README.txt, Table S10). */
  static Map<String, Double> learningRates(CrissCrossMethod method, Iterable<String> names) {
    OptimSettings paper = OptimSettings.paper();
    Map<String, Double> lrs = new LinkedHashMap<>();
    for (String name : names) {
      lrs.put(name, method.group(name).isConstant() ? paper.predictorLr() : paper.baseLr());
    }
    return lrs;
  }

  private static INDArray scalar(Double value, String term) {
    if (value == null) {
      throw new IllegalStateException("the model reports no loss term " + term);
    }
    return org.nd4j.linalg.factory.Nd4j.scalar(value);
  }

  static GroupResult compare(String group, Map<String, INDArray> ours, Map<String, NpyArray> golden,
      Tolerances tolerances) {
    double scale = groupScale(golden);
    double worst = 0;
    String where = "-";
    for (Map.Entry<String, NpyArray> e : golden.entrySet()) {
      INDArray mine = ours.get(e.getKey());
      if (mine == null) {
        throw new IllegalStateException(group + "." + e.getKey() + " has no counterpart in the model");
      }
      double[] a = values(mine, e.getValue(), group + "." + e.getKey());
      double[] b = e.getValue().data();
      double max = 0;
      double diff = 0;
      for (int i = 0; i < b.length; i++) {
        max = Math.max(max, Math.abs(b[i]));
        diff = Math.max(diff, Math.abs(a[i] - b[i]));
      }
      double err = diff / Math.max(max, tolerances.floor() * scale);
      if (err >= worst) {
        worst = err;
        where = e.getKey();
      }
    }
    return new GroupResult(group, worst, where, golden.size(), tolerances.worst().get(group), 0);
  }

  private static GroupResult compareParameters(Map<String, INDArray> ours, ReferenceData data,
      Map<String, INDArray> larcGradients, Map<String, Double> lrs, Tolerances tolerances) {
    Map<String, NpyArray> golden = data.group("param_after");
    double worst = 0;
    String where = "-";
    long loose = 0;
    for (Map.Entry<String, NpyArray> e : golden.entrySet()) {
      String name = e.getKey();
      double[] a = values(ours.get(name), e.getValue(), "param_after." + name);
      double[] b = e.getValue().data();
      double[] gGolden = data.get("grad_larc." + name).data();
      double[] gOurs = values(larcGradients.get(name), data.get("grad_larc." + name), "grad_larc." + name);
      double gError = 0;
      for (int i = 0; i < gGolden.length; i++) {
        gError = Math.max(gError, Math.abs(gOurs[i] - gGolden[i]));
      }
      double stable = Math.max(1e-6, 10 * gError);
      double max = 0;
      for (double v : b) {
        max = Math.max(max, Math.abs(v));
      }
      double lr = lrs.get(name);
      double diff = 0;
      for (int i = 0; i < b.length; i++) {
        double d = Math.abs(a[i] - b[i]);
        if (Math.abs(gGolden[i]) < stable) {
          loose++;
          if (d > LOOSE_STEPS * lr) {
            diff = Double.POSITIVE_INFINITY;
          }
        } else {
          diff = Math.max(diff, d);
        }
      }
      double err = diff / Math.max(max, 1e-12);
      if (err >= worst) {
        worst = err;
        where = name;
      }
    }
    return new GroupResult("param_after", worst, where, golden.size(), tolerances.worst().get("param_after"),
        loose);
  }

  private static double groupScale(Map<String, NpyArray> golden) {
    double scale = 0;
    for (NpyArray a : golden.values()) {
      for (double v : a.data()) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    return scale;
  }

  private static double[] values(INDArray mine, NpyArray golden, String what) {
    if (mine == null) {
      throw new IllegalStateException(what + " has no counterpart in the model");
    }
    if (mine.length() != golden.data().length) {
      throw new IllegalStateException(what + ": model has " + mine.length() + " values, golden file "
          + golden.data().length);
    }
    return mine.castTo(DataType.DOUBLE).reshape(mine.length()).toDoubleVector();
  }
}
