package crisscross.trainer.method.xdc;

import java.util.HashMap;
import java.util.Map;

/**
 * Normalised mutual information between two labellings of the same samples: I(a; b) / mean(H(a), H(b)) with the
 * arithmetic mean (scikit-learn's {@code normalized_mutual_info_score} default), natural logarithms. 1 for labellings
 * equal up to renaming, about 0 for independent ones. Samples with a negative label in either are left out.
 */
public final class Nmi {
  private Nmi() {}

  public static double of(int[] a, int[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("labellings of different lengths: " + a.length + " and " + b.length);
    }
    Map<Long, Integer> joint = new HashMap<>();
    Map<Integer, Integer> countA = new HashMap<>();
    Map<Integer, Integer> countB = new HashMap<>();
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] < 0 || b[i] < 0) {
        continue;
      }
      n++;
      joint.merge(((long) a[i] << 32) | (b[i] & 0xffffffffL), 1, Integer::sum);
      countA.merge(a[i], 1, Integer::sum);
      countB.merge(b[i], 1, Integer::sum);
    }
    if (n == 0) {
      return Double.NaN;
    }
    double ha = entropy(countA, n);
    double hb = entropy(countB, n);
    if (ha == 0 && hb == 0) {
      return 1.0;
    }
    double mutual = 0;
    for (Map.Entry<Long, Integer> e : joint.entrySet()) {
      int la = (int) (e.getKey() >> 32);
      int lb = (int) (long) e.getKey();
      double pab = e.getValue() / (double) n;
      double pa = countA.get(la) / (double) n;
      double pb = countB.get(lb) / (double) n;
      mutual += pab * Math.log(pab / (pa * pb));
    }
    double mean = (ha + hb) / 2;
    return mean == 0 ? 0 : Math.max(0, Math.min(1, mutual / mean));
  }

  private static double entropy(Map<Integer, Integer> counts, int n) {
    double h = 0;
    for (int c : counts.values()) {
      double p = c / (double) n;
      h -= p * Math.log(p);
    }
    return h;
  }
}
