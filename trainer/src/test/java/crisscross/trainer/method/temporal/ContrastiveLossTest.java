package crisscross.trainer.method.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ContrastiveLossTest {
  static INDArray rows(int n, int d, float... values) {
    return Nd4j.create(values, new long[] {n, d}, 'c');
  }

  static INDArray unit(double angle) {
    return rows(1, 2, (float) Math.cos(angle), (float) Math.sin(angle));
  }

  /**
   * Keys at angles 0 and pi/2; a queue of five unit vectors at known angles, the last not yet filled. The two
   * nearest filled entries of each key are its positives: for key 0 the entries at 0.1 and -0.3, for key 1 those at
   * 1.5 and 1.2 (the empty row at 1.58 would be nearer, but is not filled).
   */
  @Test
  void theNearestFilledQueueEntriesOfEachKeyAreItsPositives() {
    SameDiff sd = SameDiff.create();
    SDVariable keys = sd.placeHolder("k", DataType.FLOAT, -1, 2);
    SDVariable queue = sd.placeHolder("q", DataType.FLOAT, 5, 2);
    SDVariable valid = sd.placeHolder("valid", DataType.FLOAT, 1, 5);
    SDVariable mask = ContrastiveLoss.nearestMask(sd, sd.mmul(keys, queue, false, true, false), valid, 2);
    INDArray q = Nd4j.vstack(unit(0.1), unit(1.2), unit(-0.3), unit(1.5), unit(1.58));
    INDArray k = Nd4j.vstack(unit(0), unit(Math.PI / 2));
    INDArray out = sd.output(Map.of("k", k, "q", q, "valid", rows(1, 5, 1, 1, 1, 1, 0)), mask.name())
        .get(mask.name());
    assertThat(out.toFloatMatrix()).isDeepEqualTo(new float[][] {{1, 0, 1, 0, 0}, {0, 1, 0, 1, 0}});
    // Fewer filled entries than k: only those.
    INDArray few = sd.output(Map.of("k", k, "q", q, "valid", rows(1, 5, 0, 1, 0, 0, 0)), mask.name())
        .get(mask.name());
    assertThat(few.toFloatMatrix()).isDeepEqualTo(new float[][] {{0, 1, 0, 0, 0}, {0, 1, 0, 0, 0}});
  }

  /** The loss against the textbook formula computed here by hand, with queue, a neighbour positive and own negative. */
  @Test
  void infoNceWithTheExtrasIsTheMeanNegativeLogSoftmaxOverEachRowsPositives() {
    SameDiff sd = SameDiff.create();
    SDVariable query = sd.placeHolder("query", DataType.FLOAT, -1, 2);
    SDVariable keys = sd.placeHolder("keys", DataType.FLOAT, -1, 2);
    SDVariable identity = sd.placeHolder("identity", DataType.FLOAT, -1, -1);
    SDVariable queue = sd.placeHolder("q", DataType.FLOAT, 3, 2);
    SDVariable valid = sd.placeHolder("valid", DataType.FLOAT, 1, 3);
    SDVariable own = sd.placeHolder("own", DataType.FLOAT, -1, 2);
    SDVariable present = sd.placeHolder("present", DataType.FLOAT, -1, 1);
    double t = 0.5;
    SDVariable loss = ContrastiveLoss.infoNce(sd, query, keys, identity,
        Optional.of(new ContrastiveLoss.Queue(queue, valid)), Optional.of(new ContrastiveLoss.OwnNegative(own,
            present)), 1, t);
    double[][] qv = {{1, 0}, {0, 1}};
    double[][] kv = {{0.8, 0.6}, {0.6, 0.8}};
    double[][] queueRows = {{1, 0}, {0, -1}, {0.6, 0.8}};
    double[] validRows = {1, 1, 0};
    double[][] ownRows = {{-1, 0}, {0, 1}};
    double[] presentRows = {1, 0};
    Map<String, INDArray> in = Map.of("query", array(qv), "keys", array(kv),
        "identity", array(new double[][] {{1, 0}, {0, 1}}), "q", array(queueRows),
        "valid", rows(1, 3, 1, 1, 0), "own", array(ownRows), "present", rows(2, 1, 1, 0));
    double actual = sd.output(in, loss.name()).get(loss.name()).getDouble(0);
    double expected = 0;
    for (int i = 0; i < 2; i++) {
      java.util.List<Double> logits = new java.util.ArrayList<>();
      for (double[] k : kv) {
        logits.add(dot(qv[i], k) / t);
      }
      for (int j = 0; j < 3; j++) {
        if (validRows[j] == 1) {
          logits.add(dot(qv[i], queueRows[j]) / t);
        }
      }
      if (presentRows[i] == 1) {
        logits.add(dot(qv[i], ownRows[i]) / t);
      }
      double z = Math.log(logits.stream().mapToDouble(Math::exp).sum());
      // The nearest filled queue row to key i (row 0 for both keys here: cos 0.8 and 0.6 against -0.6 and -0.8).
      int nearest = dot(kv[i], queueRows[0]) >= dot(kv[i], queueRows[1]) ? 0 : 1;
      double positive = dot(qv[i], kv[i]) / t - z;
      double neighbour = dot(qv[i], queueRows[nearest]) / t - z;
      expected += -(positive + neighbour) / 2 / 2;
    }
    assertThat(actual).isCloseTo(expected, within(1e-5));
  }

  static INDArray array(double[][] values) {
    return Nd4j.create(values).castTo(DataType.FLOAT);
  }

  static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1];
  }
}
