package crisscross.trainer.model;

/** The two modalities; each has its own backbone, projector and predictor. */
public enum Modality {
  VIDEO("video"),
  AUDIO("audio");

  private final String prefix;

  Modality(String prefix) {
    this.prefix = prefix;
  }

  /** Parameter-name prefix, as in the PyTorch reference ({@code video_backbone.stem_conv.weight}). */
  public String prefix() {
    return prefix;
  }
}
