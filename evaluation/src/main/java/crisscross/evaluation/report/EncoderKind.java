package crisscross.evaluation.report;

/** Whether the encoder was pretrained or is the same architecture at its random initialisation (the baseline). */
public enum EncoderKind {
  PRETRAINED("pretrained", "Pretrained"),
  RANDOM_INIT("random-init", "Random init");

  private final String id;
  private final String title;

  EncoderKind(String id, String title) {
    this.id = id;
    this.title = title;
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }
}
