package crisscross.trainer.optim;

/**
 * The four optimiser groups of Table S10: each encoder (backbone + projector) at the scheduled base LR, each
 * predictor at its own constant LR.
 */
public enum ParameterGroup {
  VIDEO_ENCODER("video_encoder", false),
  VIDEO_PREDICTOR("video_predictor", true),
  AUDIO_ENCODER("audio_encoder", false),
  AUDIO_PREDICTOR("audio_predictor", true);

  private final String label;
  private final boolean predictor;

  ParameterGroup(String label, boolean predictor) {
    this.label = label;
    this.predictor = predictor;
  }

  public String label() {
    return label;
  }

  public boolean isPredictor() {
    return predictor;
  }

  /** The group of a parameter named as in the reference ({@code video_backbone.*}, {@code audio_predictor.*}). */
  public static ParameterGroup of(String parameterName) {
    String module = parameterName.substring(0, Math.max(0, parameterName.indexOf('.')));
    return switch (module) {
      case "video_backbone", "video_projector" -> VIDEO_ENCODER;
      case "video_predictor" -> VIDEO_PREDICTOR;
      case "audio_backbone", "audio_projector" -> AUDIO_ENCODER;
      case "audio_predictor" -> AUDIO_PREDICTOR;
      default -> throw new IllegalArgumentException("parameter '" + parameterName + "' belongs to no group");
    };
  }
}
