package crisscross.pipeline.decode;

import crisscross.pipeline.config.Settings;
import crisscross.pipeline.sample.SamplingSettings;
import java.time.Duration;

/**
 * What the decoder produces: the target grids of §4.1 (video at 16 fps, audio at 16 kHz mono), the short side
 * frames are resized to before cropping, and how long one decode may take.
 *
 * @param videoFps frames per second of the target video grid ({@code sampling.video-fps}, §4.1: 16)
 * @param audioSampleRate samples per second of the target audio grid ({@code sampling.audio-sample-rate}, §4.1:
 *     16 kHz)
 * @param shortSide default short side of decoded frames in pixels ({@code video.decode-short-side})
 * @param timeout a decode still running after this long is abandoned as {@code TIMEOUT}
 *     ({@code pipeline.decode-timeout})
 * @param decoderThreads FFmpeg video decoder threads per open file; 0 lets FFmpeg choose. The pipeline decodes
 *     many samples in parallel, so one thread per decode avoids oversubscribing the cores
 */
public record DecodeSettings(int videoFps, int audioSampleRate, int shortSide, Duration timeout,
    int decoderThreads) {
  public DecodeSettings {
    if (videoFps < 1 || videoFps > 1000) {
      throw new IllegalArgumentException("videoFps must be in [1, 1000]: " + videoFps);
    }
    if (audioSampleRate < 1000 || audioSampleRate > 384_000) {
      throw new IllegalArgumentException("audioSampleRate must be in [1000, 384000]: " + audioSampleRate);
    }
    if (shortSide < 1) {
      throw new IllegalArgumentException("shortSide must be positive: " + shortSide);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (decoderThreads < 0) {
      throw new IllegalArgumentException("decoderThreads must be >= 0: " + decoderThreads);
    }
  }

  /** The paper's grids (§4.1) with a 128-pixel short side, as {@code reference.conf}. */
  public static DecodeSettings defaults() {
    return new DecodeSettings(16, 16_000, 128, Duration.ofSeconds(120), 1);
  }

  public static DecodeSettings from(Settings settings) {
    return new DecodeSettings(
        SamplingSettings.videoFps(settings),
        SamplingSettings.audioSampleRate(settings),
        settings.integer("video.decode-short-side", 8, 4096),
        decodeTimeout(settings),
        1);
  }

  /** {@code pipeline.decode-timeout}: the longest one sample's load may take; parsed here only. */
  private static Duration decodeTimeout(Settings settings) {
    return settings.duration("pipeline.decode-timeout", Duration.ofMillis(1));
  }

  public DecodeSettings withShortSide(int pixels) {
    return new DecodeSettings(videoFps, audioSampleRate, pixels, timeout, decoderThreads);
  }

  public DecodeSettings withDecoderThreads(int threads) {
    return new DecodeSettings(videoFps, audioSampleRate, shortSide, timeout, threads);
  }

  public DecodeSettings withTimeout(Duration limit) {
    return new DecodeSettings(videoFps, audioSampleRate, shortSide, limit, decoderThreads);
  }
}
