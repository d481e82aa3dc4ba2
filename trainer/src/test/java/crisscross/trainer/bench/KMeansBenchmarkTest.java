package crisscross.trainer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.io.Npy;
import crisscross.pipeline.io.NpyArray;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KMeansBenchmarkTest {
  @TempDir
  Path dir;

  /** The rows and centres it hands to scikit-learn are valid .npy files holding what it clustered. */
  @Test
  void writesTheRowsAndInitialCentresAsNpyAndReportsAPlausibleInertia() throws Exception {
    KMeansBenchmark.Result r = KMeansBenchmark.run(300, 5, 3, 4, 1, dir);
    NpyArray rows = Npy.read(r.data());
    NpyArray centres = Npy.read(r.initialCentres());
    assertThat(rows.dtype()).isEqualTo("f4");
    assertThat(rows.shape()).containsExactly(300, 5);
    assertThat(centres.shape()).containsExactly(3, 5);
    double norm = 0;
    for (int j = 0; j < 5; j++) {
      norm += rows.data()[j] * rows.data()[j];
    }
    assertThat(norm).as("rows are l2-normalised").isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
    assertThat(r.inertia()).isPositive().isLessThan(300 * 4.0);
    assertThat(r.toJson()).contains("\"k\":3").contains("\"iterations\":4");
    assertThat(KMeansBenchmark.header(300, 5).length % 64).isZero();
  }
}
