package crisscross.trainer.method.xdc;

import crisscross.trainer.model.Modality;
import java.util.List;
import java.util.Locale;

/**
 * The XDC paper's variants (Alwassel et al., NeurIPS 2020, §3): which clusters supervise which encoder.
 */
public enum XdcVariant {
  /** Cross-modal: audio clusters are the video encoder's targets, video clusters the audio encoder's. */
  XDC(List.of(ClusterSpace.AUDIO), List.of(ClusterSpace.VIDEO)),
  /** Multi-head: each encoder has two heads, its own modality's clusters and the other's. */
  MDC(List.of(ClusterSpace.VIDEO, ClusterSpace.AUDIO), List.of(ClusterSpace.VIDEO, ClusterSpace.AUDIO)),
  /** Concatenated: clusters of the joint features supervise both encoders. */
  CDC(List.of(ClusterSpace.JOINT), List.of(ClusterSpace.JOINT)),
  /** Single-modality: video clusters supervise the video encoder (DeepCluster on video). */
  SDC(List.of(ClusterSpace.VIDEO), List.of());

  private final List<ClusterSpace> videoTargets;
  private final List<ClusterSpace> audioTargets;

  XdcVariant(List<ClusterSpace> videoTargets, List<ClusterSpace> audioTargets) {
    this.videoTargets = videoTargets;
    this.audioTargets = audioTargets;
  }

  /** Method name ({@code xdc}, {@code mdc}, ...). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The clusterings whose labels the encoder of {@code modality} predicts (empty: that encoder is not trained). */
  public List<ClusterSpace> targets(Modality modality) {
    return modality == Modality.VIDEO ? videoTargets : audioTargets;
  }

  /** Every clustering the variant needs, in a fixed order. */
  public List<ClusterSpace> spaces() {
    return java.util.Arrays.stream(ClusterSpace.values())
        .filter(s -> videoTargets.contains(s) || audioTargets.contains(s)).toList();
  }
}
