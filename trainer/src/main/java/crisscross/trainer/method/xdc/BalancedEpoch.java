package crisscross.trainer.method.xdc;

import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cluster-balanced epochs (DeepCluster's {@code UnifLabelSampler}, Caron et al., ECCV 2018): every non-empty
 * pseudo-label is equally likely, so a few large clusters cannot dominate the classification loss. For each label,
 * {@code ceil(n / labels)} of its samples are drawn (without replacement when the cluster has more samples than
 * that, with replacement otherwise); the draws are shuffled and cut to {@code n}.
 *
 * <p>A variant with several clustering spaces (xdc and mdc: video and audio clusters) gives each space an equal
 * share of the epoch, balanced over that space's labels: XDC's paper does not say which labels it balances, and
 * this keeps every head's targets balanced half the time rather than favouring one encoder.
 */
final class BalancedEpoch {
  private BalancedEpoch() {}

  /**
   * {@code epochSize} dataset indices, balanced over the labels of each space.
   *
   * @param labelsPerSpace per space, each sample's pseudo-label (-1 for a sample without one, never drawn)
   * @throws IllegalArgumentException when a space labels no sample
   */
  static int[] draw(List<int[]> labelsPerSpace, int epochSize, SampleRandom random) {
    int spaces = labelsPerSpace.size();
    int[] order = new int[epochSize];
    int filled = 0;
    for (int s = 0; s < spaces; s++) {
      int share = epochSize / spaces + (s < epochSize % spaces ? 1 : 0);
      int[] part = drawOne(labelsPerSpace.get(s), share, random.fork(s));
      System.arraycopy(part, 0, order, filled, part.length);
      filled += part.length;
    }
    if (spaces > 1) {
      random.fork("mix").shuffle(order);
    }
    return order;
  }

  private static int[] drawOne(int[] labels, int n, SampleRandom random) {
    List<int[]> clusters = clusters(labels);
    if (clusters.isEmpty()) {
      throw new IllegalArgumentException("no sample has a pseudo-label to balance over");
    }
    int perLabel = (n + clusters.size() - 1) / clusters.size();
    int[] drawn = new int[perLabel * clusters.size()];
    int next = 0;
    for (int c = 0; c < clusters.size(); c++) {
      int[] cluster = clusters.get(c);
      SampleRandom draws = random.fork(c);
      if (cluster.length > perLabel) {
        // A partial Fisher-Yates shuffle: the first perLabel entries are a uniform draw without replacement.
        int[] pool = cluster.clone();
        for (int k = 0; k < perLabel; k++) {
          int j = k + draws.nextInt(pool.length - k);
          int t = pool[k];
          pool[k] = pool[j];
          pool[j] = t;
          drawn[next++] = pool[k];
        }
      } else {
        for (int k = 0; k < perLabel; k++) {
          drawn[next++] = cluster[draws.nextInt(cluster.length)];
        }
      }
    }
    random.fork("shuffle").shuffle(drawn);
    return Arrays.copyOf(drawn, n);
  }

  /** The members of each non-empty label, in label order, each in index order (a counting sort). */
  static List<int[]> clusters(int[] labels) {
    int labelCount = 0;
    for (int label : labels) {
      labelCount = Math.max(labelCount, label + 1);
    }
    int[] sizes = new int[labelCount];
    for (int label : labels) {
      if (label >= 0) {
        sizes[label]++;
      }
    }
    int[][] members = new int[labelCount][];
    for (int c = 0; c < labelCount; c++) {
      members[c] = new int[sizes[c]];
    }
    int[] filled = new int[labelCount];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= 0) {
        members[labels[i]][filled[labels[i]]++] = i;
      }
    }
    List<int[]> clusters = new ArrayList<>();
    for (int[] cluster : members) {
      if (cluster.length > 0) {
        clusters.add(cluster);
      }
    }
    return clusters;
  }
}
