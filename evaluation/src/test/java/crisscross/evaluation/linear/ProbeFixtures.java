package crisscross.evaluation.linear;

import crisscross.evaluation.features.Clip;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.List;

/** Small synthetic feature sets for the probe tests. */
final class ProbeFixtures {
  private ProbeFixtures() {}

  /**
   * Gaussian classes: {@code samples} samples cycling through {@code classes} classes, each with its own centre
   * near its class centre, and {@code clips} clips around the sample centre.
   */
  static ClipFeatures gaussian(String split, int classes, int samples, int clips, int dimension, double separation,
      long seed) {
    SampleRandom classRandom = SampleRandom.of(1234);
    double[][] centres = new double[classes][dimension];
    for (double[] centre : centres) {
      for (int j = 0; j < dimension; j++) {
        centre[j] = separation * classRandom.nextGaussian();
      }
    }
    SampleRandom random = SampleRandom.of(seed);
    List<Clip> clipList = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    for (int s = 0; s < samples; s++) {
      int label = s % classes;
      double[] sampleCentre = new double[dimension];
      for (int j = 0; j < dimension; j++) {
        sampleCentre[j] = centres[label][j] + random.nextGaussian();
      }
      for (int c = 0; c < clips; c++) {
        float[] row = new float[dimension];
        for (int j = 0; j < dimension; j++) {
          row[j] = (float) (3.0 + 2.0 * (sampleCentre[j] + 0.5 * random.nextGaussian()));
        }
        clipList.add(new Clip(split + "-" + s, c, label, null, split));
        rows.add(row);
      }
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      names.add("class" + c);
    }
    return ClipFeatures.of(names, clipList, rows.toArray(new float[0][]));
  }

  /** Settings with a fixed single worker count so results do not depend on the machine. */
  static ProbeSettings settings() {
    return new ProbeSettings(ProbeSettings.PAPER_COSTS, 5, ProbeSettings.Preprocessing.STANDARDIZE,
        SvmSettings.LINEAR_SVC_DEFAULTS, true, 42, 2);
  }
}
