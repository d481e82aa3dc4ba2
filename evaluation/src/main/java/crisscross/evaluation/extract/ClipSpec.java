package crisscross.evaluation.extract;

import crisscross.trainer.model.Modality;

/**
 * Which clips an extraction cuts from every sample.
 *
 * @param modality the encoder the clips are for
 * @param style random augmented clips or uniformly spaced clean ones
 * @param clipsPerSample clips cut from each sample (Appendix E.1: 25 training and 10 test clips for UCF101)
 * @param spanSeconds time each clip occupies, at least its own window; audio-visual clips of late fusion share the
 *     span of the longer modality so that their audio and video features describe the same moment
 * @param videoFrames frames per video clip on the decoding grid (video only, else 0)
 * @param audioSamples samples per audio clip on the decoding grid (audio only, else 0)
 */
public record ClipSpec(Modality modality, ClipStyle style, int clipsPerSample, double spanSeconds, int videoFrames,
    int audioSamples) {
  public ClipSpec {
    if (clipsPerSample < 1) {
      throw new IllegalArgumentException("at least one clip per sample, got " + clipsPerSample);
    }
    boolean video = modality == Modality.VIDEO;
    if (video ? videoFrames < 1 || audioSamples != 0 : audioSamples < 1 || videoFrames != 0) {
      throw new IllegalArgumentException("a " + modality.prefix() + " clip needs its own window length only: "
          + videoFrames + " frames, " + audioSamples + " samples");
    }
    if (!(spanSeconds > 0)) {
      throw new IllegalArgumentException("clip span must be positive: " + spanSeconds);
    }
  }

  /** A video clip of {@code frames} frames at {@code fps}, spanning exactly its own length. */
  public static ClipSpec video(ClipStyle style, int clips, int frames, int fps) {
    return new ClipSpec(Modality.VIDEO, style, clips, frames / (double) fps, frames, 0);
  }

  /** An audio clip of {@code samples} samples at {@code rate}, spanning exactly its own length. */
  public static ClipSpec audio(ClipStyle style, int clips, int samples, int rate) {
    return new ClipSpec(Modality.AUDIO, style, clips, samples / (double) rate, 0, samples);
  }

  /** The same clips with another span (late fusion: both modalities use the longer one). */
  public ClipSpec withSpan(double seconds) {
    return new ClipSpec(modality, style, clipsPerSample, seconds, videoFrames, audioSamples);
  }

  public ClipSpec withClips(int count) {
    return new ClipSpec(modality, style, count, spanSeconds, videoFrames, audioSamples);
  }
}
