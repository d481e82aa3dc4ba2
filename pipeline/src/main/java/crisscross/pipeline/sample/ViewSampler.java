package crisscross.pipeline.sample;

import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.sample.SamplingSettings.VideoPlacement;

/**
 * Cuts the two audio-visual views of a sample out of a clip (§4.3). Everything is computed on the target grids:
 * a clip of {@code d} seconds holds {@code N = floor(d * rate)} audio samples and {@code N / spf} whole frames,
 * where {@code spf = rate / fps} (1000 at 16 kHz and 16 fps) is the exact number of samples per frame. Frame
 * {@code f} covers the samples {@code [f * spf, (f + 1) * spf)}, so "video inside audio" is exact integer
 * arithmetic. Views are {@code F} frames ({@code sampling.frames-per-view}) and {@code A} samples
 * ({@code sampling.audio-view-seconds}); {@code V = F * spf} is a video view's length in samples.
 *
 * <p>The modes, with the paper's values in brackets ({@code F} = 8 frames = 0.5 s, {@code A} = 2 s):
 * <ul>
 *   <li><b>none</b>: one audio view placed uniformly in the clip, a1 = a2; one video view placed uniformly
 *   among the frame-aligned positions inside it, v1 = v2. Needs {@code A} samples.
 *   <li><b>mild</b>, as the authors' code does it: an audio window of {@code A + hA} samples whose views are
 *   its first and last {@code A} samples, and a video window of {@code F + hV} frames whose views are its first
 *   and last {@code F} frames, with hops {@code hA = round(A (1 - o))}, {@code hV = round(F (1 - o))} for
 *   overlap {@code o = sampling.mild-overlap} [3 s window, views overlapping by 1 s; 12-frame window, views
 *   overlapping by 4 frames]. The audio window is placed uniformly in the clip. With synchronous placement
 *   (the default) the video window is placed uniformly among the frame-aligned positions where v1 lies inside
 *   a1 and v2 inside a2 [video window start between 0.75 s and 1.5 s into the audio window]; with
 *   {@code sampling.video-placement = anywhere} it is placed anywhere inside the audio window, as the authors'
 *   code draws it [0 to 2.25 s], where v_i may leave a_i. Needs {@code A + hA} samples.
 *   <li><b>medium</b>: adjacent views, a2 starts where a1 ends and v2 where v1 ends. Synchronous placement
 *   leaves a single position: the shared boundary of the video views is the shared boundary of the audio
 *   views [v1 is the last 0.5 s of a1, v2 the first 0.5 s of a2], so the audio window starts on a frame
 *   boundary shifted by {@code A}. Anywhere: the {@code 2F}-frame video window anywhere inside the
 *   {@code 2A}-sample audio window. Needs {@code 2A} samples (rounded up to whole frames when {@code A} is not).
 *   <li><b>extreme</b>: the clip is split at sample {@code N / 2}; (v1, a1) is placed like <i>none</i> inside
 *   the first half and (v2, a2) like <i>none</i> inside the second half. Needs {@code 2A} samples.
 *   <li><b>mixed</b>: (v1, a1) and (v2, a2) each placed like <i>none</i>, independently, anywhere in the clip.
 *   Needs {@code A} samples.
 * </ul>
 * In every mode except mild and medium with {@code anywhere} placement, v_i lies inside a_i's time span. The
 * decode window of each modality is the smallest span holding both of its views (for extreme and mixed it
 * spans the gap between them). A clip shorter than the mode needs is {@link SamplingOutcome.TooShort}.
 *
 * <p>Uniform means uniform over whole samples (audio) and whole frames (video). Audio and video draws come
 * from separate forks of the given generator, so whether video is needed never moves the audio views.
 * Immutable and thread-safe.
 */
public final class ViewSampler {
  private final SamplingSettings settings;
  private final int spf;
  private final long frames;
  private final long samples;
  private final long videoSamples;

  public ViewSampler(SamplingSettings settings) {
    this.settings = settings;
    this.spf = settings.samplesPerFrame();
    this.frames = settings.framesPerView();
    this.samples = settings.audioViewSamples();
    this.videoSamples = frames * spf;
  }

  public SamplingSettings settings() {
    return settings;
  }

  /**
   * Plans the views of one sample.
   *
   * @param clipSeconds duration of the clip (the shorter of its streams when both are used)
   * @param needVideo false for audio-only use: the plan then has no video window
   * @param random the sample's generator; only forks of it are drawn from, it is not advanced
   */
  public SamplingOutcome plan(double clipSeconds, boolean needVideo, SampleRandom random) {
    if (!(clipSeconds >= 0) || Double.isInfinite(clipSeconds)) {
      throw new IllegalArgumentException("clip duration must be a finite number of seconds: " + clipSeconds);
    }
    long available = (long) Math.floor(clipSeconds * settings.audioSampleRate() + 1e-6);
    long needed = neededSamples();
    if (available < needed) {
      return new SamplingOutcome.TooShort(settings.relaxation(), clipSeconds,
          needed / (double) settings.audioSampleRate());
    }
    SampleRandom audio = random.fork("sampling.audio");
    SampleRandom video = random.fork("sampling.video");
    return switch (settings.relaxation()) {
      case NONE -> none(available, needVideo, audio, video);
      case MILD -> mild(available, needVideo, audio, video);
      case MEDIUM -> medium(available, needVideo, audio, video);
      case EXTREME -> extreme(available, needVideo, audio, video);
      case MIXED -> mixed(available, needVideo, audio, video);
    };
  }

  /** The fewest samples a clip must hold for the configured mode. */
  public long neededSamples() {
    return switch (settings.relaxation()) {
      case NONE, MIXED -> samples;
      case MILD -> samples + settings.mildAudioHop();
      case MEDIUM -> settings.videoPlacement() == VideoPlacement.SYNCHRONOUS
          ? samples + ceilDiv(samples, spf) * spf : 2 * samples;
      case EXTREME -> 2 * samples;
    };
  }

  private ViewPlan none(long available, boolean needVideo, SampleRandom audio, SampleRandom video) {
    long s = uniform(audio, 0, available - samples);
    long f = needVideo ? frameInside(video, s, s + samples - videoSamples) : 0;
    return plan(needVideo, f, frames, s, samples, 0, 0, 0, 0);
  }

  private ViewPlan mild(long available, boolean needVideo, SampleRandom audio, SampleRandom video) {
    long audioHop = settings.mildAudioHop();
    long videoHop = settings.mildVideoHop();
    long audioWindow = samples + audioHop;
    long videoWindow = frames + videoHop;
    long s = uniform(audio, 0, available - audioWindow);
    long f = 0;
    if (needVideo) {
      if (settings.videoPlacement() == VideoPlacement.SYNCHRONOUS) {
        // v1 inside a1 bounds the start by [s, s + A - V]; v2 inside a2 shifts both bounds by hA - hV.
        long shift = audioHop - videoHop * spf;
        f = frameInside(video, s + Math.max(0, shift), s + samples - videoSamples + Math.min(0, shift));
      } else {
        f = frameInside(video, s, s + audioWindow - videoWindow * spf);
      }
    }
    return plan(needVideo, f, videoWindow, s, audioWindow, 0, videoHop, 0, audioHop);
  }

  private ViewPlan medium(long available, boolean needVideo, SampleRandom audio, SampleRandom video) {
    if (settings.videoPlacement() == VideoPlacement.SYNCHRONOUS) {
      // The boundary between the views is frame k for video and sample k * spf for audio.
      long k = uniform(audio, ceilDiv(samples, spf), Math.floorDiv(available - samples, spf));
      long s = k * spf - samples;
      long f = needVideo ? k - frames : 0;
      return plan(needVideo, f, 2 * frames, s, 2 * samples, 0, frames, 0, samples);
    }
    long s = uniform(audio, 0, available - 2 * samples);
    long f = needVideo ? frameInside(video, s, s + 2 * samples - 2 * videoSamples) : 0;
    return plan(needVideo, f, 2 * frames, s, 2 * samples, 0, frames, 0, samples);
  }

  private ViewPlan extreme(long available, boolean needVideo, SampleRandom audio, SampleRandom video) {
    long half = available / 2;
    long s1 = uniform(audio, 0, half - samples);
    long s2 = uniform(audio, half, available - samples);
    return twoPairs(needVideo, s1, s2, video);
  }

  private ViewPlan mixed(long available, boolean needVideo, SampleRandom audio, SampleRandom video) {
    long s1 = uniform(audio, 0, available - samples);
    long s2 = uniform(audio, 0, available - samples);
    return twoPairs(needVideo, s1, s2, video);
  }

  /** Two independently placed (video inside audio) pairs, joined into one decode window per modality. */
  private ViewPlan twoPairs(boolean needVideo, long s1, long s2, SampleRandom video) {
    long audioStart = Math.min(s1, s2);
    long audioCount = Math.max(s1, s2) + samples - audioStart;
    if (!needVideo) {
      return plan(false, 0, 0, audioStart, audioCount, 0, 0, s1 - audioStart, s2 - audioStart);
    }
    long f1 = frameInside(video, s1, s1 + samples - videoSamples);
    long f2 = frameInside(video, s2, s2 + samples - videoSamples);
    long videoStart = Math.min(f1, f2);
    long videoCount = Math.max(f1, f2) + frames - videoStart;
    return plan(true, videoStart, videoCount, audioStart, audioCount, f1 - videoStart, f2 - videoStart,
        s1 - audioStart, s2 - audioStart);
  }

  /** A frame drawn uniformly among those starting at a sample in {@code [lowSample, highSample]}. */
  private long frameInside(SampleRandom random, long lowSample, long highSample) {
    long low = ceilDiv(lowSample, spf);
    long high = Math.floorDiv(highSample, spf);
    if (low > high) {
      throw new IllegalStateException("no frame boundary in samples [" + lowSample + ", " + highSample + "]");
    }
    return uniform(random, low, high);
  }

  private ViewPlan plan(boolean needVideo, long videoStart, long videoCount, long audioStart, long audioCount,
      long v1, long v2, long a1, long a2) {
    return new ViewPlan(settings.relaxation(), needVideo ? Math.toIntExact(videoStart) : 0,
        needVideo ? Math.toIntExact(videoCount) : 0, Math.toIntExact(audioStart), Math.toIntExact(audioCount),
        needVideo ? Math.toIntExact(v1) : 0, needVideo ? Math.toIntExact(v2) : 0, Math.toIntExact(a1),
        Math.toIntExact(a2), settings.framesPerView(), settings.audioViewSamples());
  }

  private static long uniform(SampleRandom random, long low, long high) {
    if (high < low) {
      throw new IllegalStateException("empty range [" + low + ", " + high + "]");
    }
    long span = high - low + 1;
    if (span <= Integer.MAX_VALUE) {
      return low + random.nextInt((int) span);
    }
    return low + Math.floorMod(random.nextLong(), span);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
