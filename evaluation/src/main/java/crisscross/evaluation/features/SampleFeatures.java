package crisscross.evaluation.features;

import java.util.List;

/**
 * Sample-level features: the mean of each sample's clip features (Appendix E.3: "we simply average the
 * features extracted from the test split"). Row {@code s} is sample {@code s} of {@link #samples()}.
 */
public record SampleFeatures(List<String> classNames, SampleIndex samples, float[][] rows) {
  public SampleFeatures {
    classNames = List.copyOf(classNames);
    if (rows.length != samples.sampleCount()) {
      throw new IllegalArgumentException(rows.length + " rows for " + samples.sampleCount() + " samples");
    }
  }

  public int size() {
    return rows.length;
  }

  public int dimension() {
    return rows.length == 0 ? 0 : rows[0].length;
  }

  public int label(int sample) {
    return samples.label(sample);
  }

  public String sampleId(int sample) {
    return samples.sampleId(sample);
  }
}
