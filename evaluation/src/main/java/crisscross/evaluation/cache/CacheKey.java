package crisscross.evaluation.cache;

import crisscross.pipeline.source.SampleRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * What determines a set of extracted features.
 *
 * @param checkpointHash the encoder weights (content hash of the checkpoint, or e.g. {@code random-init:seed=42})
 * @param datasetHash the samples and label names ({@link #datasetHash(List, List)})
 * @param settingsHash the extraction: modality, clips per sample, clip length, augmentation, pooling
 */
public record CacheKey(String checkpointHash, String datasetHash, String settingsHash) {
  public CacheKey {
    for (String part : List.of(checkpointHash, datasetHash, settingsHash)) {
      if (part == null || part.isBlank() || part.contains("\n")) {
        throw new IllegalArgumentException("cache key parts must be non-empty single lines: " + checkpointHash
            + " / " + datasetHash + " / " + settingsHash);
      }
    }
  }

  /** A file-name-safe identifier of the key: a prefix of the SHA-256 of its three parts. */
  public String id() {
    return sha256(checkpointHash + "\n" + datasetHash + "\n" + settingsHash).substring(0, 32);
  }

  /**
   * Hash of a dataset as the features see it: each sample's id, label, split and group (not its location, so a
   * moved copy of the same data hits the cache), in id order, and the class names whose order fixes the label
   * indices.
   */
  public static String datasetHash(List<SampleRef> samples, List<String> classNames) {
    List<SampleRef> sorted = new ArrayList<>(samples);
    sorted.sort(Comparator.comparing(SampleRef::id));
    StringBuilder text = new StringBuilder("classes");
    for (String name : classNames) {
      text.append('\t').append(name);
    }
    text.append('\n');
    for (SampleRef sample : sorted) {
      text.append(sample.id()).append('\t').append(sample.label().orElse("")).append('\t')
          .append(sample.split()).append('\t').append(sample.group()).append('\n');
    }
    return sha256(text.toString());
  }

  /** SHA-256 (hex) of a text, for building the other two parts from settings. */
  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
