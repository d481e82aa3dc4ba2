package crisscross.evaluation.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import crisscross.evaluation.features.Clip;
import crisscross.evaluation.features.ClipFeatures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalTest {
  private static final List<String> CLASSES = List.of("A", "B", "C", "D");
  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;
  private static final int D = 3;

  private static float[] at(double degrees, double length) {
    double r = Math.toRadians(degrees);
    return new float[] {(float) (length * Math.cos(r)), (float) (length * Math.sin(r))};
  }

  /**
   * Gallery: 30 training samples on rays at 0, 3, 6, ... 87 degrees, each the average of two clips 0.5 degrees
   * either side of its ray (so averaging matters), with lengths that vary (so only directions matter); all are
   * class A except g2 (B) and g9 (C); plus a zero vector of class D. Queries all point at -1 degree, so every
   * query ranks the gallery g0, g1, g2, ... with the zero vector last:
   * <ul>
   *   <li>q0 (A): g0 is A, hit at 1;
   *   <li>q1 (B): first B is g2, rank 3: miss at 1, hit at 5;
   *   <li>q2 (C): first C is g9, rank 10: miss at 5, hit at 20;
   *   <li>q3 (D): only the zero vector, rank 31: miss at 20.
   * </ul>
   * So R@1 = 1/4, R@5 = 2/4, R@20 = 3/4.
   */
  private static ClipFeatures[] constructed() {
    List<Clip> trainClips = new ArrayList<>();
    List<float[]> trainRows = new ArrayList<>();
    for (int g = 0; g < 30; g++) {
      int label = g == 2 ? B : g == 9 ? C : A;
      double length = 1 + g % 4;
      trainClips.add(new Clip("g" + g, 0, label, null, "train"));
      trainRows.add(at(3 * g - 0.5, length));
      trainClips.add(new Clip("g" + g, 1, label, null, "train"));
      trainRows.add(at(3 * g + 0.5, length));
    }
    trainClips.add(new Clip("zero", 0, D, null, "train"));
    trainRows.add(new float[] {0f, 0f});
    List<Clip> testClips = new ArrayList<>();
    List<float[]> testRows = new ArrayList<>();
    int[] labels = {A, B, C, D};
    for (int q = 0; q < 4; q++) {
      testClips.add(new Clip("q" + q, 0, labels[q], null, "test"));
      testRows.add(at(-1, 1));
      testClips.add(new Clip("q" + q, 1, labels[q], null, "test"));
      testRows.add(at(-1, 5));
    }
    return new ClipFeatures[] {
        ClipFeatures.of(CLASSES, trainClips, trainRows.toArray(new float[0][])),
        ClipFeatures.of(CLASSES, testClips, testRows.toArray(new float[0][]))};
  }

  @Test
  void recallAtKOnAConstructedSet() {
    ClipFeatures[] data = constructed();
    RetrievalResult result = Retrieval.evaluate(data[1], data[0], new RetrievalSettings(List.of(1, 5, 20), 2));
    assertThat(result.recallAt(1)).isEqualTo(0.25);
    assertThat(result.recallAt(5)).isEqualTo(0.5);
    assertThat(result.recallAt(20)).isEqualTo(0.75);
    assertThat(result.ks()).containsExactly(1, 5, 20);
    assertThat(result.querySamples()).isEqualTo(4);
    assertThat(result.gallerySamples()).isEqualTo(31);
  }

  @Test
  void neighboursAreRankedByCosineSimilarityOfClipAverages() {
    ClipFeatures[] data = constructed();
    RetrievalResult result = Retrieval.evaluate(data[1], data[0], new RetrievalSettings(List.of(1, 5, 20), 1));
    Query q1 = result.queries().get(1);
    assertThat(q1.sampleId()).isEqualTo("q1");
    assertThat(q1.neighbours()).hasSize(20);
    assertThat(q1.neighbours().subList(0, 4)).extracting(Neighbour::sampleId).containsExactly("g0", "g1", "g2", "g3");
    assertThat(q1.neighbours().get(2).label()).isEqualTo(B);
    for (int i = 0; i < 4; i++) {
      assertThat(q1.neighbours().get(i).similarity()).isCloseTo(Math.cos(Math.toRadians(1 + 3 * i)), within(1e-6));
    }
    assertThat(q1.hitAt(2)).isFalse();
    assertThat(q1.hitAt(3)).isTrue();
  }

  @Test
  void tiesGoToTheEarlierTrainingSampleAndZeroVectorsAreDissimilar() {
    List<Clip> gallery = List.of(new Clip("zero", 0, A, null, "train"), new Clip("x", 0, B, null, "train"),
        new Clip("y", 0, A, null, "train"), new Clip("x2", 0, A, null, "train"));
    ClipFeatures train = ClipFeatures.of(List.of("A", "B"), gallery,
        new float[][] {{0f, 0f}, {1f, 1f}, {-1f, 0f}, {3f, 3f}});
    ClipFeatures test = ClipFeatures.of(List.of("A", "B"), List.of(new Clip("q", 0, A, null, "test")),
        new float[][] {{2f, 2f}});
    RetrievalResult result = Retrieval.evaluate(test, train, new RetrievalSettings(List.of(1, 2, 3, 4, 9), 1));
    assertThat(result.queries().get(0).neighbours()).extracting(Neighbour::sampleId)
        .containsExactly("x", "x2", "zero", "y");
    assertThat(result.recallAt(1)).isZero();
    assertThat(result.recallAt(2)).isEqualTo(1.0);
    assertThat(result.recallAt(9)).as("k beyond the gallery means all of it").isEqualTo(1.0);
  }

  @Test
  void refusesMismatchedFeatures() {
    ClipFeatures[] data = constructed();
    ClipFeatures wide = ClipFeatures.of(CLASSES, List.of(new Clip("w", 0, A, null, "test")),
        new float[][] {{1f, 2f, 3f}});
    assertThatThrownBy(() -> Retrieval.evaluate(wide, data[0], new RetrievalSettings(List.of(1), 1)))
        .hasMessageContaining("dimension 3");
    assertThatThrownBy(() -> new RetrievalSettings(List.of(0, 5), 1)).hasMessageContaining(">= 1");
  }
}
