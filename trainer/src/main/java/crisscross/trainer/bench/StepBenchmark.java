package crisscross.trainer.bench;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.method.crisscross.CrissCrossSettings;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.step.TrainingStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times full CrissCross training steps (four encoder passes, heads, loss, backward, LARC+Adam update) on random
 * inputs. The first step (graph and gradient-function construction) is timed apart; then warm-up steps run untimed
 * (JIT compilation, the model's array pool filling, the first step's garbage collected) before the measured ones.
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  /** Timing of the measured steps; {@code opSeconds} per op type per step when profiled (else empty). */
  public record Result(String preset, ModelSettings settings, int batch, int threads, int warmup, int steps,
      double firstStepSeconds, double[] stepSeconds, double freshNativeBytesPerStep, Map<String, Double> opSeconds) {
    public double medianSeconds() {
      double[] s = stepSeconds.clone();
      Arrays.sort(s);
      return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public double samplesPerSecond() {
      return batch / medianSeconds();
    }

    public String toJson() {
      StringBuilder s = new StringBuilder("{");
      s.append(String.format(Locale.ROOT, "\"framework\":\"samediff %s\",\"preset\":\"%s\",\"batch\":%d,"
              + "\"threads\":%d,\"warmup_steps\":%d,\"steps\":%d,\"dtype\":\"%s\",\"first_step_seconds\":%.4f,"
              + "\"seconds_per_step\":%.4f,\"samples_per_second\":%.4f,\"step_seconds\":%s,"
              + "\"fresh_native_bytes_per_step\":%.0f",
          "1.0.0-M2.1", preset, batch, threads, warmup, steps, settings.dataType().toString().toLowerCase(Locale.ROOT),
          firstStepSeconds, medianSeconds(), samplesPerSecond(), Arrays.toString(stepSeconds),
          freshNativeBytesPerStep));
      if (!opSeconds.isEmpty()) {
        s.append(",\"op_seconds_per_step\":{");
        List<String> parts = new ArrayList<>();
        opSeconds.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "\"%s\":%.4f", k, v)));
        s.append(String.join(",", parts)).append('}');
      }
      return s.append('}').toString();
    }
  }

  /**
   * @param threads ND4J/OpenMP threads for the native ops (0 = leave the default)
   * @param warmup untimed steps after the first
   * @param profile whether to time each op type with a SameDiff listener (adds some overhead)
   */
  public static Result run(String preset, ModelSettings settings, int batch, int threads, int warmup, int steps,
      boolean profile) {
    if (threads > 0) {
      Nd4j.getEnvironment().setMaxMasterThreads(threads);
      Nd4j.getEnvironment().setMaxThreads(threads);
    }
    float[][] inputs = new float[4][];
    SampleRandom random = SampleRandom.of(17);
    for (int i = 0; i < 4; i++) {
      Modality m = i < 2 ? Modality.VIDEO : Modality.AUDIO;
      inputs[i] = new float[batch * settings.viewSize(m)];
      for (int j = 0; j < inputs[i].length; j++) {
        inputs[i][j] = (float) random.nextGaussian();
      }
    }
    OptimSettings optim = OptimSettings.paper();
    try (TrainingStep step = TrainingStep.create(settings,
        new CrissCrossMethod(CrissCrossSettings.of("crisscross", optim)), optim, 1000, 1)) {
      long t0 = System.nanoTime();
      step.run(inputs[0], inputs[1], inputs[2], inputs[3], batch);
      double first = (System.nanoTime() - t0) / 1e9;
      for (int i = 0; i < warmup; i++) {
        step.run(inputs[0], inputs[1], inputs[2], inputs[3], batch);
      }
      long freshBefore = step.model().arrayPoolStatistics()[1];
      OpProfile listener = new OpProfile();
      if (profile) {
        SameDiff graph = step.model().graph();
        graph.addListeners(listener);
        if (graph.getFunction("grad") != null) {
          graph.getFunction("grad").addListeners(listener);
        }
      }
      double[] seconds = new double[steps];
      for (int i = 0; i < steps; i++) {
        long t = System.nanoTime();
        step.run(inputs[0], inputs[1], inputs[2], inputs[3], batch);
        seconds[i] = (System.nanoTime() - t) / 1e9;
      }
      double fresh = (step.model().arrayPoolStatistics()[1] - freshBefore) / (double) steps;
      return new Result(preset, settings, batch, threads, warmup, steps, first, seconds, fresh,
          profile ? listener.secondsPerStep(steps) : Map.of());
    }
  }
}
