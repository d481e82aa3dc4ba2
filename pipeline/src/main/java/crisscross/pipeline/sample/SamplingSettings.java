package crisscross.pipeline.sample;

import crisscross.pipeline.config.Settings;
import java.util.Set;

/**
 * The {@code sampling} section: view lengths on the target grids and the relaxation of §4.3.
 *
 * @param relaxation how far apart the two views are (§4.3; mild is the paper's default)
 * @param videoFps frame rate of the target video grid (§4.1: 16 fps)
 * @param framesPerView frames in one video view (§4.1: 8)
 * @param audioSampleRate sample rate of the target audio grid (§4.1: 16 kHz)
 * @param audioViewSamples samples in one audio view (§4.1: 2 s, 32 000 samples)
 * @param mildOverlap fraction of a view's length the two views of a modality share under mild relaxation
 *     (§4.3: 50 %)
 * @param videoPlacement where the video views may sit relative to the audio views
 */
public record SamplingSettings(RelaxationMode relaxation, int videoFps, int framesPerView, int audioSampleRate,
    int audioViewSamples, double mildOverlap, VideoPlacement videoPlacement) {

  /** Where the video window may be placed inside the audio window (modes none, mild and medium). */
  public enum VideoPlacement {
    /**
     * Each video view lies inside the time span of the audio view it is paired with: §3 cuts v<sub>i</sub> and
     * a<sub>i</sub> from the same timestamps, so L<sub>sync</sub> pairs synchronous views. The default.
     */
    SYNCHRONOUS("synchronous"),
    /**
     * The video window anywhere inside the audio window, as the authors' code draws it; v<sub>i</sub> may leave
     * a<sub>i</sub> (about two thirds of mild samples at the paper's lengths).
     */
    ANYWHERE_IN_AUDIO_WINDOW("anywhere-in-audio-window");

    /**
     * What {@link #ANYWHERE_IN_AUDIO_WINDOW} was called before it was named for what it does; still read, so the
     * configurations stored in earlier checkpoints evaluate and resume as they were trained.
     */
    static final String LEGACY_ANYWHERE = "anywhere";

    private final String configName;

    VideoPlacement(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }

    static VideoPlacement fromConfigName(String name) {
      if (name.equals(LEGACY_ANYWHERE)) {
        return ANYWHERE_IN_AUDIO_WINDOW;
      }
      for (VideoPlacement placement : values()) {
        if (placement.configName.equals(name)) {
          return placement;
        }
      }
      throw new IllegalArgumentException("unknown video placement " + name);
    }
  }

  public SamplingSettings {
    if (videoFps < 1 || framesPerView < 1 || audioSampleRate < 1 || audioViewSamples < 1) {
      throw new IllegalArgumentException("rates and view lengths must be positive");
    }
    if (audioSampleRate % videoFps != 0) {
      throw new IllegalArgumentException("audio sample rate " + audioSampleRate + " is not a multiple of the "
          + "video frame rate " + videoFps);
    }
    if ((long) framesPerView * (audioSampleRate / videoFps) > audioViewSamples) {
      throw new IllegalArgumentException("a video view of " + framesPerView + " frames at " + videoFps
          + " fps is longer than an audio view of " + audioViewSamples + " samples");
    }
    if (!(mildOverlap >= 0 && mildOverlap <= 1)) {
      throw new IllegalArgumentException("mild overlap must be in [0, 1]: " + mildOverlap);
    }
    int samplesPerFrame = audioSampleRate / videoFps;
    long slack = videoSlack(relaxation, videoPlacement, framesPerView, audioViewSamples, samplesPerFrame,
        mildOverlap);
    if (slack < samplesPerFrame - 1) {
      throw new IllegalArgumentException("under " + relaxation.configName() + " relaxation the video window can "
          + "move by only " + slack + " samples inside the audio window, less than one frame (" + samplesPerFrame
          + " samples): lengthen the audio view, shorten the video view, or set video-placement = "
          + "anywhere-in-audio-window"
          + (relaxation == RelaxationMode.MILD ? " (for adjacent views use medium relaxation)" : ""));
    }
  }

  /**
   * How far (in samples) the video window can move inside the audio window while keeping the placement rule;
   * at least one frame of play lets every audio start hold a frame-aligned video window. Medium relaxation with
   * synchronous placement pins the video window to the audio boundary and has no play by design.
   */
  private static long videoSlack(RelaxationMode relaxation, VideoPlacement placement, int frames, int samples,
      int samplesPerFrame, double overlap) {
    long videoSamples = (long) frames * samplesPerFrame;
    long single = samples - videoSamples;
    return switch (relaxation) {
      case NONE, EXTREME, MIXED -> single;
      case MEDIUM -> placement == VideoPlacement.SYNCHRONOUS ? Long.MAX_VALUE : 2 * single;
      case MILD -> {
        long audioHop = Math.round(samples * (1 - overlap));
        long videoHop = Math.round(frames * (1 - overlap)) * samplesPerFrame;
        yield placement == VideoPlacement.SYNCHRONOUS ? single - Math.abs(audioHop - videoHop)
            : samples + audioHop - videoSamples - videoHop;
      }
    };
  }

  /**
   * The paper's values (§4.1, §4.3): mild relaxation, 8 frames at 16 fps, 2 s at 16 kHz, 50 % overlap, each video
   * view inside its audio view (§3).
   */
  public static SamplingSettings paperDefaults() {
    return new SamplingSettings(RelaxationMode.MILD, 16, 8, 16000, 32000, 0.5, VideoPlacement.SYNCHRONOUS);
  }

  /** Most frames one view may hold. */
  public static final int MAX_FRAMES_PER_VIEW = 1024;

  /**
   * {@code sampling.frames-per-view}, parsed and bounded here only: the model's input shape, feature extraction and
   * finetuning defaults all read it through this.
   */
  public static int framesPerView(Settings settings) {
    return settings.integer("sampling.frames-per-view", 1, MAX_FRAMES_PER_VIEW);
  }

  /** {@code sampling.video-fps}, parsed and bounded here only (the decoder and {@code inspect} read it here). */
  public static int videoFps(Settings settings) {
    return settings.integer("sampling.video-fps", 1, 1000);
  }

  /** {@code sampling.audio-sample-rate}, parsed and bounded here only. */
  public static int audioSampleRate(Settings settings) {
    return settings.integer("sampling.audio-sample-rate", 1000, 384000);
  }

  /** {@code sampling.audio-view-seconds}, parsed and bounded here only. */
  public static double audioViewSeconds(Settings settings) {
    return settings.real("sampling.audio-view-seconds", 0.001, 3600);
  }

  /** {@code sampling.relaxation}, parsed here only. */
  public static RelaxationMode relaxation(Settings settings) {
    return RelaxationMode.fromConfigName(settings.choice("sampling.relaxation", RelaxationMode.configNames()));
  }

  public static SamplingSettings from(Settings settings) {
    RelaxationMode relaxation = relaxation(settings);
    int fps = videoFps(settings);
    int frames = framesPerView(settings);
    int rate = audioSampleRate(settings);
    double seconds = audioViewSeconds(settings);
    double overlap = settings.real("sampling.mild-overlap", 0.0, 1.0);
    VideoPlacement placement = VideoPlacement.fromConfigName(settings.choice("sampling.video-placement",
        Set.of(VideoPlacement.SYNCHRONOUS.configName(), VideoPlacement.ANYWHERE_IN_AUDIO_WINDOW.configName(),
            VideoPlacement.LEGACY_ANYWHERE)));
    if (rate % fps != 0) {
      throw settings.invalid("sampling.video-fps", "the audio sample rate (" + rate + ") must be a multiple of "
          + "the video frame rate (" + fps + ") so that every frame boundary falls on an audio sample");
    }
    long viewSamples = Math.round(seconds * rate);
    if ((long) frames * (rate / fps) > viewSamples) {
      throw settings.invalid("sampling.audio-view-seconds", "an audio view (" + seconds + " s) must be at least "
          + "as long as a video view (" + frames + " frames at " + fps + " fps)");
    }
    try {
      return new SamplingSettings(relaxation, fps, frames, rate, Math.toIntExact(viewSamples), overlap,
          placement);
    } catch (IllegalArgumentException e) {
      throw settings.invalid(relaxation == RelaxationMode.MILD ? "sampling.mild-overlap"
          : "sampling.audio-view-seconds", e.getMessage());
    }
  }

  /** Audio samples per video frame: the exact ratio of the two grids. */
  public int samplesPerFrame() {
    return audioSampleRate / videoFps;
  }

  /** Frames between the starts of the two video views under mild relaxation. */
  public int mildVideoHop() {
    return (int) Math.round(framesPerView * (1 - mildOverlap));
  }

  /** Samples between the starts of the two audio views under mild relaxation. */
  public int mildAudioHop() {
    return (int) Math.round(audioViewSamples * (1 - mildOverlap));
  }

  public SamplingSettings withRelaxation(RelaxationMode mode) {
    return new SamplingSettings(mode, videoFps, framesPerView, audioSampleRate, audioViewSamples, mildOverlap,
        videoPlacement);
  }

  public SamplingSettings withVideoPlacement(VideoPlacement placement) {
    return new SamplingSettings(relaxation, videoFps, framesPerView, audioSampleRate, audioViewSamples,
        mildOverlap, placement);
  }
}
