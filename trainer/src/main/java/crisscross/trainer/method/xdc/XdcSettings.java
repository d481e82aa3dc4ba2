package crisscross.trainer.method.xdc;

import crisscross.pipeline.config.Settings;
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
 */
public record XdcSettings(XdcVariant variant, int kVideo, int kAudio, int kJoint, int reclusterEvery, int iterations,
    int headHidden, double baseLr, double finalLr) {

  public XdcSettings {
    if (kVideo < 2 || kAudio < 2 || kJoint < 2) {
      throw new IllegalArgumentException("XDC needs at least 2 clusters per space");
    }
    if (reclusterEvery < 1 || iterations < 1 || headHidden < 0) {
      throw new IllegalArgumentException("XDC needs recluster-every >= 1, kmeans-iterations >= 1, head-hidden >= 0");
    }
  }

  public static XdcSettings from(XdcVariant variant, Settings s, OptimSettings optim) {
    double base = OptimSettings.rate(s, "xdc.base-lr", java.util.Map.of("auto", optim.baseLr()));
    return new XdcSettings(variant, s.integer("xdc.k-video", 2, 1 << 20), s.integer("xdc.k-audio", 2, 1 << 20),
        s.integer("xdc.k-joint", 2, 1 << 20), s.integer("xdc.recluster-every", 1, 1_000_000),
        s.integer("xdc.kmeans-iterations", 1, 10_000), s.integer("xdc.head-hidden", 0, 1 << 16), base,
        optim.finalLr());
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
