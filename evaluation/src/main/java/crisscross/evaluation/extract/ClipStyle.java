package crisscross.evaluation.extract;

/**
 * How the clips of a sample are chosen and prepared (Appendix E.1-E.3).
 */
public enum ClipStyle {
  /** Clips at random times, each augmented: the training features of linear evaluation ("25 clips per sample"). */
  TRAIN("train"),
  /** Uniformly spaced clips with no augmentation ("to perform a deterministic evaluation"): test and retrieval. */
  TEST("test");

  private final String id;

  ClipStyle(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
