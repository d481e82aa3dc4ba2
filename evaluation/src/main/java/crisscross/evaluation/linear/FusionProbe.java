package crisscross.evaluation.linear;

import crisscross.evaluation.features.ClipFeatures;

/**
 * Multi-modal late fusion (Table 2, Appendix E.1 "Multi-modal Fusion"): each clip's audio and video feature
 * vectors are concatenated and one linear SVM is trained on the result, exactly as {@link LinearProbe}. With
 * standardisation every dimension is z-scored on its own, so neither modality dominates by scale.
 */
public final class FusionProbe {
  private FusionProbe() {}

  /**
   * Runs the fused probe. The audio and video features of a split must describe the same clips (matched by sample
   * id and clip index) with the same labels.
   */
  public static LinearResult run(ClipFeatures audioTrain, ClipFeatures videoTrain, ClipFeatures audioTest,
      ClipFeatures videoTest, ProbeSettings settings) {
    return LinearProbe.run(ClipFeatures.concatenate(audioTrain, videoTrain),
        ClipFeatures.concatenate(audioTest, videoTest), settings);
  }
}
