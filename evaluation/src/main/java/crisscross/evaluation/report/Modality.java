package crisscross.evaluation.report;

/** Which encoder's features were evaluated; audio+video is late fusion (Table 2). */
public enum Modality {
  AUDIO("audio", "a"),
  VIDEO("video", "v"),
  AUDIO_VIDEO("audio+video", "a+v");

  private final String id;
  private final String shortName;

  Modality(String id, String shortName) {
    this.id = id;
    this.shortName = shortName;
  }

  public String id() {
    return id;
  }

  /** As in Table 2: "KS (a)", "KS (v)", "KS (a+v)". */
  public String shortName() {
    return shortName;
  }
}
