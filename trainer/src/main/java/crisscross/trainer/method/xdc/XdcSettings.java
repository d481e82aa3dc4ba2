package crisscross.trainer.method.xdc;

import crisscross.pipeline.config.Settings;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.optim.OptimSettings;

/**
 * XDC's options (block {@code xdc}, {@code config/methods/xdc.conf}); the variant is the method's name.
 *
 * @param kVideo clusters of the video features
 * @param kAudio clusters of the audio features
 * @param kJoint clusters of the concatenated features ({@code cdc})
 * @param reclusterEvery epochs between clusterings (the first is before epoch 0)
 * @param iterations Lloyd iterations per clustering
 * @param headHidden width of an MLP head's hidden layer; 0 = one linear layer
 * @param baseLr the encoders' and heads' base LR (warmup and cosine as every scheduled group)
 * @param finalLr their LR at the end of the cosine
 * @param pcaWhitening whether the features are PCA-whitened before k-means ({@link PcaWhitening})
 * @param pcaDim principal components kept when whitening
 * @param balancedSampling whether each epoch draws its samples balanced over the pseudo-labels ({@link
 *     BalancedEpoch}) instead of the run's seeded shuffle
 */
public record XdcSettings(XdcVariant variant, int kVideo, int kAudio, int kJoint, int reclusterEvery, int iterations,
    int headHidden, double baseLr, double finalLr, boolean pcaWhitening, int pcaDim, boolean balancedSampling) {
  static final String PCA_WHITENING_KEY = "xdc.pca-whitening";
  static final String PCA_DIM_KEY = "xdc.pca-dim";

  public XdcSettings {
    if (kVideo < 2 || kAudio < 2 || kJoint < 2) {
      throw new IllegalArgumentException("XDC needs at least 2 clusters per space");
    }
    if (reclusterEvery < 1 || iterations < 1 || headHidden < 0) {
      throw new IllegalArgumentException("XDC needs recluster-every >= 1, kmeans-iterations >= 1, head-hidden >= 0");
    }
    if (pcaDim < 1) {
      throw new IllegalArgumentException("XDC needs pca-dim >= 1");
    }
  }

  /** Without PCA whitening (pca-dim at its default, unused) and over the run's seeded shuffle. */
  public XdcSettings(XdcVariant variant, int kVideo, int kAudio, int kJoint, int reclusterEvery, int iterations,
      int headHidden, double baseLr, double finalLr) {
    this(variant, kVideo, kAudio, kJoint, reclusterEvery, iterations, headHidden, baseLr, finalLr, false, 256, false);
  }

  /** These settings with PCA whitening to {@code dim} components. */
  public XdcSettings withPcaWhitening(int dim) {
    return new XdcSettings(variant, kVideo, kAudio, kJoint, reclusterEvery, iterations, headHidden, baseLr, finalLr,
        true, dim, balancedSampling);
  }

  /** These settings with cluster-balanced epochs on or off. */
  public XdcSettings withBalancedSampling(boolean on) {
    return new XdcSettings(variant, kVideo, kAudio, kJoint, reclusterEvery, iterations, headHidden, baseLr, finalLr,
        pcaWhitening, pcaDim, on);
  }

  /**
   * Reads block {@code xdc}. With {@code pca-whitening} on, {@code pca-dim} must be at most the width of every space
   * the variant clusters (the model's last conv block; both modalities' for the joint space).
   */
  public static XdcSettings from(XdcVariant variant, Settings s, OptimSettings optim) {
    double base = OptimSettings.rate(s, "xdc.base-lr", java.util.Map.of("auto", optim.baseLr()));
    boolean whitening = s.bool(PCA_WHITENING_KEY);
    int pcaDim = s.integer(PCA_DIM_KEY, 1, 1 << 16);
    if (whitening) {
      ModelSettings model = ModelSettings.from(s);
      for (ClusterSpace space : variant.spaces()) {
        int width = space.featureWidth(model);
        if (pcaDim > width) {
          throw s.invalid(PCA_DIM_KEY, pcaDimTooLarge(pcaDim, space, width) + " (model.preset "
              + ModelSettings.preset(s) + ")");
        }
      }
    }
    return new XdcSettings(variant, s.integer("xdc.k-video", 2, 1 << 20), s.integer("xdc.k-audio", 2, 1 << 20),
        s.integer("xdc.k-joint", 2, 1 << 20), s.integer("xdc.recluster-every", 1, 1_000_000),
        s.integer("xdc.kmeans-iterations", 1, 10_000), s.integer("xdc.head-hidden", 0, 1 << 16), base,
        optim.finalLr(), whitening, pcaDim, s.bool("xdc.balanced-sampling"));
  }

  /** Why a {@code pca-dim} above a space's feature width is refused. */
  static String pcaDimTooLarge(int pcaDim, ClusterSpace space, int width) {
    return pcaDim + " components of the " + width + "-d " + space.id() + " features: PCA keeps at most as many "
        + "components as the features have dimensions; choose at most " + width;
  }

  /** Clusters of {@code space}. */
  public int k(ClusterSpace space) {
    return switch (space) {
      case VIDEO -> kVideo;
      case AUDIO -> kAudio;
      case JOINT -> kJoint;
    };
  }

  /** The key that sets {@link #k}. */
  static String kKey(ClusterSpace space) {
    return "xdc.k-" + space.id();
  }
}
