package crisscross.evaluation.features;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples behind a list of clips, numbered in order of first appearance, and the averaging of any
 * per-clip quantity over each sample's clips: features for retrieval (Appendix E.3), SVM decision values for the
 * sample-level prediction (Appendix E.1: "top-1 accuracy at sample-level prediction by averaging clip-level
 * predictions").
 */
public final class SampleIndex {
  private final int[] sampleOfClip;
  private final int[][] clipsOfSample;
  private final List<String> sampleIds;
  private final int[] labels;
  private final String[] groups;
  private final String[] splits;

  private SampleIndex(int[] sampleOfClip, int[][] clipsOfSample, List<String> sampleIds, int[] labels,
      String[] groups, String[] splits) {
    this.sampleOfClip = sampleOfClip;
    this.clipsOfSample = clipsOfSample;
    this.sampleIds = sampleIds;
    this.labels = labels;
    this.groups = groups;
    this.splits = splits;
  }

  /** Indexes the clips; all clips of one sample must agree on label, group and split. */
  public static SampleIndex of(List<Clip> clips) {
    Map<String, List<Integer>> rowsOf = new LinkedHashMap<>();
    for (int i = 0; i < clips.size(); i++) {
      rowsOf.computeIfAbsent(clips.get(i).sampleId(), id -> new ArrayList<>()).add(i);
    }
    int[] sampleOfClip = new int[clips.size()];
    int[][] clipsOfSample = new int[rowsOf.size()][];
    int[] labels = new int[rowsOf.size()];
    String[] groups = new String[rowsOf.size()];
    String[] splits = new String[rowsOf.size()];
    int sample = 0;
    for (List<Integer> rows : rowsOf.values()) {
      clipsOfSample[sample] = rows.stream().mapToInt(Integer::intValue).toArray();
      Clip first = clips.get(rows.get(0));
      for (int row : rows) {
        Clip clip = clips.get(row);
        if (clip.label() != first.label() || !clip.group().equals(first.group())
            || !clip.split().equals(first.split())) {
          throw new IllegalArgumentException("clips of sample '" + first.sampleId()
              + "' disagree on label, group or split: " + first + " vs " + clip);
        }
        sampleOfClip[row] = sample;
      }
      labels[sample] = first.label();
      groups[sample] = first.group();
      splits[sample] = first.split();
      sample++;
    }
    return new SampleIndex(sampleOfClip, clipsOfSample, List.copyOf(rowsOf.keySet()), labels, groups, splits);
  }

  public int sampleCount() {
    return clipsOfSample.length;
  }

  public int clipCount() {
    return sampleOfClip.length;
  }

  /** The sample number of a clip row. */
  public int sampleOf(int clipRow) {
    return sampleOfClip[clipRow];
  }

  /** The clip rows of a sample (not a copy: do not modify). */
  public int[] clipsOf(int sample) {
    return clipsOfSample[sample];
  }

  public String sampleId(int sample) {
    return sampleIds.get(sample);
  }

  public List<String> sampleIds() {
    return sampleIds;
  }

  public int label(int sample) {
    return labels[sample];
  }

  public int[] labels() {
    return labels.clone();
  }

  public String group(int sample) {
    return groups[sample];
  }

  public String[] groups() {
    return groups.clone();
  }

  public String split(int sample) {
    return splits[sample];
  }

  /** Row-wise mean over each sample's clips: {@code perClip[clip][column]} to {@code [sample][column]}. */
  public double[][] average(double[][] perClip) {
    checkRows(perClip.length);
    double[][] means = new double[sampleCount()][];
    for (int s = 0; s < means.length; s++) {
      means[s] = clipMean(s, perClip[clipsOfSample[s][0]].length, (row, c) -> perClip[row][c]);
    }
    return means;
  }

  /** As {@link #average(double[][])}, accumulated in double precision and stored as float. */
  public float[][] average(float[][] perClip) {
    checkRows(perClip.length);
    float[][] means = new float[sampleCount()][];
    for (int s = 0; s < means.length; s++) {
      double[] mean = clipMean(s, perClip[clipsOfSample[s][0]].length, (row, c) -> perClip[row][c]);
      means[s] = new float[mean.length];
      for (int c = 0; c < mean.length; c++) {
        means[s][c] = (float) mean[c];
      }
    }
    return means;
  }

  private interface Cell {
    double at(int row, int column);
  }

  /** Mean over sample {@code s}'s clip rows of each of {@code width} columns, summed in double precision. */
  private double[] clipMean(int s, int width, Cell cells) {
    double[] sum = new double[width];
    for (int row : clipsOfSample[s]) {
      for (int c = 0; c < width; c++) {
        sum[c] += cells.at(row, c);
      }
    }
    for (int c = 0; c < width; c++) {
      sum[c] /= clipsOfSample[s].length;
    }
    return sum;
  }

  /** Index of the largest value of each row (the first on ties): a prediction per row. */
  public static int[] argmax(double[][] scores) {
    int[] best = new int[scores.length];
    for (int i = 0; i < scores.length; i++) {
      int b = 0;
      for (int c = 1; c < scores[i].length; c++) {
        if (scores[i][c] > scores[i][b]) {
          b = c;
        }
      }
      best[i] = b;
    }
    return best;
  }

  private void checkRows(int rows) {
    if (rows != sampleOfClip.length) {
      throw new IllegalArgumentException(rows + " rows given for " + sampleOfClip.length + " clips");
    }
  }
}
