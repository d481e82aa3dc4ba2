package crisscross.evaluation.features;

import crisscross.pipeline.source.SampleRef;
import java.io.IOException;
import java.util.List;

/**
 * Where frozen features come from: an encoder in inference mode followed by a {@link MaxPool}, applied to the
 * clips the protocol asks for (Appendix E.1: e.g. 25 augmented training clips and 10 uniformly spaced test clips
 * per UCF101 video). The evaluation protocols only see the resulting {@link ClipFeatures}; the two hashes let
 * {@code FeatureCache} reuse features across cost sweeps and reruns. Training and test clips are usually
 * extracted differently (augmented random clips vs uniformly spaced clean ones), so a protocol uses one extractor
 * per split, each with its own {@link #settingsHash()}.
 */
public interface FeatureExtractor {
  /**
   * Identifies the encoder weights: a content hash of the checkpoint, or a name such as
   * {@code random-init:seed=42} for an untrained encoder of the same architecture.
   */
  String checkpointHash();

  /**
   * Identifies everything else that changes the features: modality, clips per sample, clip length, augmentation,
   * pooling, extractor version.
   */
  String settingsHash();

  /** Features of every clip of these samples, labels indexed into {@code classNames}. */
  ClipFeatures extract(List<SampleRef> samples, List<String> classNames) throws IOException;
}
