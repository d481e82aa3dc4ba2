package crisscross.evaluation.split;

import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Grouped stratified k-fold: every group goes whole into one test fold, and the class distribution of the folds is
 * kept as even as the groups allow. The greedy assignment is scikit-learn's {@code StratifiedGroupKFold(shuffle=
 * True)}: groups in a seeded random order, then stably sorted so that groups with the most uneven class counts
 * come first; each group goes to the fold where the per-class fold shares (fold's count of a class / the class's
 * total) would have the smallest standard deviation across folds, averaged over classes, ties going to the
 * fold with fewest items.
 *
 * <p>For groups of a single class (ESC-50 {@code src_file}, a video's clips) this puts each group into a fold
 * with the fewest items of its class, so the per-class counts of any two folds differ by at most the size of the
 * largest group; with one item per group, by at most one.
 */
public final class GroupedStratifiedKFold {
  private static final double TIE_TOLERANCE = 1e-12;

  private GroupedStratifiedKFold() {}

  /**
   * Splits items into {@code folds} folds.
   *
   * @param labels class of each item (any non-negative integers)
   * @param groups group of each item; items of one group always share a fold
   * @param seed the same seed gives the same folds
   * @return the folds in order; each item is in exactly one fold's test indices
   */
  public static List<Fold> split(int[] labels, String[] groups, int folds, long seed) {
    if (labels.length != groups.length) {
      throw new IllegalArgumentException(labels.length + " labels but " + groups.length + " groups");
    }
    if (folds < 2) {
      throw new IllegalArgumentException("k-fold needs at least 2 folds, got " + folds);
    }
    Map<String, Integer> groupIds = new HashMap<>();
    List<String> groupNames = new ArrayList<>();
    int[] groupOf = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("item " + i + " has negative label " + labels[i]);
      }
      Integer id = groupIds.get(groups[i]);
      if (id == null) {
        id = groupNames.size();
        groupIds.put(groups[i], id);
        groupNames.add(groups[i]);
      }
      groupOf[i] = id;
    }
    int groupCount = groupNames.size();
    if (groupCount < folds) {
      throw new IllegalArgumentException("cannot make " + folds + " folds from " + groupCount
          + " groups: each fold needs at least one group");
    }
    int[] classOf = compactClasses(labels);
    int classCount = Arrays.stream(classOf).max().orElse(-1) + 1;
    int[][] groupCounts = new int[groupCount][classCount];
    int[] classTotals = new int[classCount];
    for (int i = 0; i < labels.length; i++) {
      groupCounts[groupOf[i]][classOf[i]]++;
      classTotals[classOf[i]]++;
    }

    int[] order = new int[groupCount];
    for (int g = 0; g < groupCount; g++) {
      order[g] = g;
    }
    SampleRandom.of(seed).fork("grouped-stratified-k-fold").shuffle(order);
    double[] unevenness = new double[groupCount];
    for (int g = 0; g < groupCount; g++) {
      unevenness[g] = standardDeviation(groupCounts[g]);
    }
    Integer[] sorted = Arrays.stream(order).boxed().toArray(Integer[]::new);
    Arrays.sort(sorted, (a, b) -> Double.compare(unevenness[b], unevenness[a]));

    int[][] foldCounts = new int[folds][classCount];
    int[] foldSizes = new int[folds];
    int[] foldOfGroup = new int[groupCount];
    for (int g : sorted) {
      int best = -1;
      double bestCost = Double.POSITIVE_INFINITY;
      for (int f = 0; f < folds; f++) {
        double cost = costOfAdding(foldCounts, classTotals, groupCounts[g], f);
        boolean tie = Math.abs(cost - bestCost) <= TIE_TOLERANCE * Math.max(1.0, Math.abs(bestCost));
        if (best < 0 || (!tie && cost < bestCost) || (tie && foldSizes[f] < foldSizes[best])) {
          best = f;
          bestCost = cost;
        }
      }
      foldOfGroup[g] = best;
      for (int c = 0; c < classCount; c++) {
        foldCounts[best][c] += groupCounts[g][c];
        foldSizes[best] += groupCounts[g][c];
      }
    }

    List<Fold> result = new ArrayList<>(folds);
    for (int f = 0; f < folds; f++) {
      int[] test = new int[foldSizes[f]];
      int[] train = new int[labels.length - foldSizes[f]];
      int t = 0;
      int r = 0;
      for (int i = 0; i < labels.length; i++) {
        if (foldOfGroup[groupOf[i]] == f) {
          test[t++] = i;
        } else {
          train[r++] = i;
        }
      }
      result.add(new Fold(f, train, test));
    }
    return List.copyOf(result);
  }

  /**
   * The change in the summed per-class standard deviation of fold shares if the group went into fold
   * {@code target}; only the group's classes change, so only they are summed.
   */
  private static double costOfAdding(int[][] foldCounts, int[] classTotals, int[] group, int target) {
    int folds = foldCounts.length;
    double cost = 0;
    double[] shares = new double[folds];
    for (int c = 0; c < group.length; c++) {
      if (group[c] == 0) {
        continue;
      }
      for (int f = 0; f < folds; f++) {
        shares[f] = (foldCounts[f][c] + (f == target ? group[c] : 0)) / (double) classTotals[c];
      }
      cost += standardDeviation(shares);
    }
    return cost;
  }

  private static int[] compactClasses(int[] labels) {
    int[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
    int[] classOf = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      classOf[i] = Arrays.binarySearch(distinct, labels[i]);
    }
    return classOf;
  }

  private static double standardDeviation(int[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return standardDeviation(d);
  }

  private static double standardDeviation(double[] values) {
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= values.length;
    double sum = 0;
    for (double v : values) {
      sum += (v - mean) * (v - mean);
    }
    return Math.sqrt(sum / values.length);
  }
}
