package crisscross.pipeline.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The samples of one split of a dataset, in canonical order (sorted by id), with the class names and a hash that
 * identifies exactly this list.
 *
 * @param root the root as configured (directory, manifest, or {@code s3://} URI)
 * @param layout the layout it was read with (never {@link Layout#AUTO})
 * @param split the split selected (train | test | val | all)
 * @param samples {@code samples.get(i).index() == i}, sorted by id
 * @param classNames every class of the dataset (all splits), in the layout's official order when it has one
 *     (UCF101 classInd, ESC-50 target, AudioSet index), else sorted; a label's class index is its position here
 * @param manifestHash see {@link #hashOf(List)}
 * @param missing entries listed by the layout whose media file is absent (left out, not fatal)
 */
public record Dataset(String root, Layout layout, String split, List<SampleRef> samples, List<String> classNames,
    String manifestHash, int missing) {

  public Dataset {
    samples = List.copyOf(samples);
    classNames = List.copyOf(classNames);
    for (int i = 0; i < samples.size(); i++) {
      if (samples.get(i).index() != i) {
        throw new IllegalArgumentException("sample at position " + i + " has index " + samples.get(i).index());
      }
      if (i > 0 && samples.get(i - 1).id().compareTo(samples.get(i).id()) >= 0) {
        throw new IllegalArgumentException("samples are not sorted by unique id at position " + i + ": '"
            + samples.get(i - 1).id() + "', '" + samples.get(i).id() + "'");
      }
    }
  }

  public int size() {
    return samples.size();
  }

  public SampleRef sample(int index) {
    return samples.get(index);
  }

  public boolean hasLabels() {
    return !classNames.isEmpty();
  }

  /** Position of the sample's label in {@link #classNames}, or -1 when it has none. */
  public int classIndex(SampleRef sample) {
    return sample.label().map(classNames::indexOf).orElse(-1);
  }

  /** Class index of every sample, in sample order (-1 for unlabelled samples). */
  public int[] classIndexes(List<SampleRef> of) {
    Map<String, Integer> indexes = new HashMap<>();
    for (int i = 0; i < classNames.size(); i++) {
      indexes.put(classNames.get(i), i);
    }
    int[] result = new int[of.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = of.get(i).label().map(l -> indexes.getOrDefault(l, -1)).orElse(-1);
    }
    return result;
  }

  /** One line for logs. */
  public String summary() {
    return layout.configName() + " dataset " + root + ", split " + split + ": " + samples.size() + " samples, "
        + classNames.size() + " classes" + (missing > 0 ? ", " + missing + " listed files missing" : "")
        + ", manifest sha256 " + manifestHash.substring(0, 12);
  }

  /**
   * SHA-256 (lower-case hex) of the UTF-8 text made of one line {@code id TAB label TAB split LF} per sample in
   * the given order (empty label for unlabelled samples). It depends on what the samples are, not on where they
   * are stored, so a dataset moved from disk to a bucket keeps its hash; checkpoints store it and refuse to
   * resume on different data.
   */
  public static String hashOf(List<SampleRef> samples) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
    for (SampleRef sample : samples) {
      String line = sample.id() + '\t' + sample.label().orElse("") + '\t' + sample.split() + '\n';
      digest.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
