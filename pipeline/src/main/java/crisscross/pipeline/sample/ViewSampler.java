package crisscross.pipeline.sample;

import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.sample.SamplingSettings.VideoPlacement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Cuts the audio-visual views of a sample out of a clip (§4.3). Everything is computed on the target grids:
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
 *   (the default: §3 cuts v_i and a_i from the same timestamps) the video window is placed uniformly among the
 *   frame-aligned positions where v1 lies inside a1 and v2 inside a2 [video window start between 0.75 s and
 *   1.5 s into the audio window]; with {@code sampling.video-placement = anywhere-in-audio-window} it is placed
 *   anywhere inside the audio window, as the authors' code draws it [0 to 2.25 s], where v_i may leave a_i.
 *   Needs {@code A + hA} samples.
 *   <li><b>medium</b>: adjacent views, a2 starts where a1 ends and v2 where v1 ends. Synchronous placement
 *   leaves a single position: the shared boundary of the video views is the shared boundary of the audio
 *   views [v1 is the last 0.5 s of a1, v2 the first 0.5 s of a2], so the audio window starts on a frame
 *   boundary shifted by {@code A}. Anywhere in the audio window: the {@code 2F}-frame video window anywhere
 *   inside the {@code 2A}-sample audio window. Needs {@code 2A} samples (rounded up to whole frames when
 *   {@code A} is not).
 *   <li><b>extreme</b>: the clip is split at sample {@code N / 2}; (v1, a1) is placed like <i>none</i> inside
 *   the first half and (v2, a2) like <i>none</i> inside the second half. Needs {@code 2A} samples.
 *   <li><b>mixed</b>: (v1, a1) and (v2, a2) each placed like <i>none</i>, independently, anywhere in the clip.
 *   Needs {@code A} samples.
 * </ul>
 * In every mode except mild and medium with {@code anywhere-in-audio-window} placement, v_i lies inside a_i's
 * time span. The decode window of each modality is the smallest span holding both of its views (for extreme and
 * mixed it spans the gap between them). A clip shorter than the mode needs is {@link SamplingOutcome.TooShort}.
 *
 * <p>A method may ask for other than two clips per modality ({@link ClipCounts}): the sampler then places
 * {@code n} audio-visual pairs, {@code n} the larger of the two counts, and each mode extends as its rule reads:
 * <i>none</i> repeats one pair; <i>mild</i> hops {@code hA} and {@code hV} from clip to clip (a window of
 * {@code A + (n-1) hA} samples); <i>medium</i> lays {@code n} views end to end (with synchronous placement only for
 * {@code n = 2}: one shared boundary cannot be kept for more); <i>extreme</i> splits the clip into {@code n} equal
 * parts with one pair in each; <i>mixed</i> places {@code n} pairs independently. One pair ({@code n = 1}) is
 * placed like <i>none</i> whatever the mode: with one view per modality there is nothing to relax. For
 * {@code n = 2} every draw is the one described above. A modality asked for fewer clips than {@code n} gets the
 * first ones, and its decode window spans only those.
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
   * Why the configured mode cannot place the pairs {@code clips} asks for, or empty when it can: checked once at
   * start, so that no sample is refused for it later.
   */
  public Optional<String> refusal(ClipCounts clips) {
    if (ownRelaxation(clips)) {
      return forOwnRelaxation(clips).refusal(clips.withConfiguredRelaxation());
    }
    int n = clips.pairs();
    RelaxationMode mode = effectiveMode(n);
    String what = clips + " per sample under " + settings.relaxation().configName() + " relaxation";
    if (mode == RelaxationMode.MEDIUM && n > 2 && settings.videoPlacement() == VideoPlacement.SYNCHRONOUS) {
      return Optional.of(what + ": synchronous medium relaxation keeps one shared view boundary, which only two "
          + "views have; set sampling.video-placement = anywhere-in-audio-window or use another mode");
    }
    if (!clips.needVideo()) {
      return Optional.empty();
    }
    long slack = switch (mode) {
      case NONE, EXTREME, MIXED -> samples - videoSamples;
      case MEDIUM -> settings.videoPlacement() == VideoPlacement.SYNCHRONOUS ? Long.MAX_VALUE
          : n * (samples - videoSamples);
      case MILD -> settings.videoPlacement() == VideoPlacement.SYNCHRONOUS
          ? samples - videoSamples - (n - 1) * Math.abs(mildShift())
          : samples + (n - 1L) * settings.mildAudioHop() - (frames + (n - 1L) * settings.mildVideoHop()) * spf;
    };
    if (slack < spf - 1) {
      return Optional.of(what + ": the video window can move by only " + slack + " samples inside the audio "
          + "window, less than one frame (" + spf + " samples); lengthen sampling.audio-view-seconds, lower "
          + "sampling.mild-overlap, or set sampling.video-placement = anywhere-in-audio-window");
    }
    return Optional.empty();
  }

  /**
   * Plans the paper's two clips per modality of one sample.
   *
   * @param clipSeconds duration of the clip (the shorter of its streams when both are used)
   * @param needVideo false for audio-only use: the plan then has no video window
   * @param random the sample's generator; only forks of it are drawn from, it is not advanced
   */
  public SamplingOutcome plan(double clipSeconds, boolean needVideo, SampleRandom random) {
    return plan(clipSeconds, new ClipCounts(needVideo ? 2 : 0, 2), random);
  }

  /**
   * Plans the clips of one sample.
   *
   * @param clipSeconds duration of the clip (the shorter of its streams when both are used)
   * @param clips clips per modality; without video clips the plan has no video window
   * @param random the sample's generator; only forks of it are drawn from, it is not advanced
   */
  public SamplingOutcome plan(double clipSeconds, ClipCounts clips, SampleRandom random) {
    if (!(clipSeconds >= 0) || Double.isInfinite(clipSeconds)) {
      throw new IllegalArgumentException("clip duration must be a finite number of seconds: " + clipSeconds);
    }
    if (ownRelaxation(clips)) {
      return forOwnRelaxation(clips).plan(clipSeconds, clips.withConfiguredRelaxation(), random);
    }
    refusal(clips).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
    int n = clips.pairs();
    long available = (long) Math.floor(clipSeconds * settings.audioSampleRate() + 1e-6);
    long needed = neededSamples(n);
    if (available < needed) {
      return new SamplingOutcome.TooShort(settings.relaxation(), clipSeconds,
          needed / (double) settings.audioSampleRate());
    }
    SampleRandom audio = random.fork("sampling.audio");
    SampleRandom video = random.fork("sampling.video");
    Placed placed = switch (effectiveMode(n)) {
      case NONE -> none(n, available, clips.needVideo(), audio, video);
      case MILD -> mild(n, available, clips.needVideo(), audio, video);
      case MEDIUM -> medium(n, available, clips.needVideo(), audio, video);
      case EXTREME -> extreme(n, available, clips.needVideo(), audio, video);
      case MIXED -> mixed(n, available, clips.needVideo(), audio, video);
    };
    return placed.plan(clips, available, random.fork("sampling.playback"));
  }

  /** Whether the method places its pairs under another relaxation than {@code sampling.relaxation}. */
  private boolean ownRelaxation(ClipCounts clips) {
    return clips.relaxation().isPresent() && clips.relaxation().get() != settings.relaxation();
  }

  private ViewSampler forOwnRelaxation(ClipCounts clips) {
    return new ViewSampler(settings.withRelaxation(clips.relaxation().get()));
  }

  /** The fewest samples a clip must hold for the configured mode and two pairs. */
  public long neededSamples() {
    return neededSamples(2);
  }

  /** The fewest samples a clip must hold for the configured mode and {@code n} pairs. */
  public long neededSamples(int n) {
    return switch (effectiveMode(n)) {
      case NONE, MIXED -> samples;
      case MILD -> samples + (n - 1L) * settings.mildAudioHop();
      case MEDIUM -> settings.videoPlacement() == VideoPlacement.SYNCHRONOUS
          ? samples + ceilDiv(samples, spf) * spf : n * samples;
      case EXTREME -> n * samples;
    };
  }

  private RelaxationMode effectiveMode(int n) {
    return n == 1 ? RelaxationMode.NONE : settings.relaxation();
  }

  /** Clip starts of the n pairs on the grids: audio samples and (when video is needed) video frames. */
  private final class Placed {
    private final long[] audioStarts;
    private final long[] videoStarts;

    Placed(long[] audioStarts, long[] videoStarts) {
      this.audioStarts = audioStarts;
      this.videoStarts = videoStarts;
    }

    /**
     * The plan of the pairs and of {@code clips}' playback clips: each drawn (speed, direction) from its own fork of
     * {@code random}, fitted to the {@code available} samples, placed uniformly where it fits. The decode windows
     * span every clip of their modality.
     */
    ViewPlan plan(ClipCounts clips, long available, SampleRandom random) {
      Span audio = Span.over(audioStarts, audioStarts.length, samples,
          placePlaybacks(clips.playback(), false, available, random));
      Span video = clips.video() == 0 ? Span.NONE : Span.over(videoStarts, clips.video(), frames,
          placePlaybacks(clips.playback(), true, available / spf, random));
      return new ViewPlan(settings.relaxation(), Math.toIntExact(video.start()), Math.toIntExact(video.length()),
          Math.toIntExact(audio.start()), Math.toIntExact(audio.length()), video.offsets(videoStarts, clips.video()),
          audio.offsets(audioStarts, audioStarts.length), settings.framesPerView(), settings.audioViewSamples(),
          video.placed(), audio.placed());
    }
  }

  /** A playback clip drawn and placed on its modality's grid: starting at {@code start}, {@code span} long. */
  private record PlacedPlayback(Playback playback, long start, long span) {
  }

  /**
   * The decode window of one modality on its grid: from {@code start}, {@code length} long, holding the first
   * {@code count} pair clips of {@code clipLength} and the playback clips.
   */
  private record Span(long start, long length, List<PlacedPlayback> playbacks) {
    static final Span NONE = new Span(0, 0, List.of());

    static Span over(long[] starts, int count, long clipLength, List<PlacedPlayback> playbacks) {
      long start = min(starts, count);
      long end = max(starts, count) + clipLength;
      for (PlacedPlayback p : playbacks) {
        start = Math.min(start, p.start());
        end = Math.max(end, p.start() + p.span());
      }
      return new Span(start, end - start, playbacks);
    }

    List<Integer> offsets(long[] starts, int count) {
      List<Integer> offsets = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        offsets.add(Math.toIntExact(starts[i] - start));
      }
      return offsets;
    }

    List<ViewPlan.PlaybackClip> placed() {
      List<ViewPlan.PlaybackClip> placed = new ArrayList<>();
      for (PlacedPlayback p : playbacks) {
        placed.add(new ViewPlan.PlaybackClip(Math.toIntExact(p.start() - start), p.playback()));
      }
      return placed;
    }
  }

  /**
   * The playback clips of one modality ({@code available} frames or samples): each drawn (speed, direction) from
   * its own fork of {@code random}, fitted to what is available, placed uniformly where it fits.
   */
  private List<PlacedPlayback> placePlaybacks(PlaybackClips clips, boolean video, long available,
      SampleRandom random) {
    String modality = video ? "video" : "audio";
    int clipLength = (int) (video ? frames : samples);
    List<PlacedPlayback> placed = new ArrayList<>();
    for (int k = 0; k < (video ? clips.video() : clips.audio()); k++) {
      SampleRandom r = random.fork(modality).fork(k);
      Playback drawn = draw(clips, r);
      Playback p = (video ? drawn.fitted(available, clipLength, clips.speeds())
          : drawn.fittedAudio(available, clipLength, clips.speeds()))
          .orElseThrow(() -> new IllegalStateException("not even the slowest " + modality + " playback fits"));
      long span = video ? p.videoSpan(clipLength) : p.audioSpan(clipLength);
      placed.add(new PlacedPlayback(p, uniform(r, 0, available - span), span));
    }
    return placed;
  }

  /** A speed drawn uniformly from the clips' speeds; reversed with probability 1/2 when they may be. */
  private static Playback draw(PlaybackClips playback, SampleRandom random) {
    int speed = playback.speeds().get(random.nextInt(playback.speeds().size()));
    return new Playback(speed, playback.reverse() && random.bernoulli(0.5));
  }

  private Placed none(int n, long available, boolean needVideo, SampleRandom audio, SampleRandom video) {
    long s = uniform(audio, 0, available - samples);
    long f = needVideo ? frameInside(video, s, s + samples - videoSamples) : 0;
    return new Placed(repeat(s, n), repeat(f, n));
  }

  private Placed mild(int n, long available, boolean needVideo, SampleRandom audio, SampleRandom video) {
    long audioHop = settings.mildAudioHop();
    long videoHop = settings.mildVideoHop();
    long audioWindow = samples + (n - 1) * audioHop;
    long videoWindow = frames + (n - 1) * videoHop;
    long s = uniform(audio, 0, available - audioWindow);
    long f = 0;
    if (needVideo) {
      if (settings.videoPlacement() == VideoPlacement.SYNCHRONOUS) {
        // v1 inside a1 bounds the start by [s, s + A - V]; v_i inside a_i shifts both bounds by (i-1)(hA - hV).
        long spread = (n - 1) * mildShift();
        f = frameInside(video, s + Math.max(0, spread), s + samples - videoSamples + Math.min(0, spread));
      } else {
        f = frameInside(video, s, s + audioWindow - videoWindow * spf);
      }
    }
    return new Placed(hops(s, audioHop, n), hops(f, videoHop, n));
  }

  private Placed medium(int n, long available, boolean needVideo, SampleRandom audio, SampleRandom video) {
    if (settings.videoPlacement() == VideoPlacement.SYNCHRONOUS) {
      // Two views: the boundary between them is frame k for video and sample k * spf for audio.
      long k = uniform(audio, ceilDiv(samples, spf), Math.floorDiv(available - samples, spf));
      long s = k * spf - samples;
      long f = needVideo ? k - frames : 0;
      return new Placed(hops(s, samples, n), hops(f, frames, n));
    }
    long s = uniform(audio, 0, available - n * samples);
    long f = needVideo ? frameInside(video, s, s + n * (samples - videoSamples)) : 0;
    return new Placed(hops(s, samples, n), hops(f, frames, n));
  }

  private Placed extreme(int n, long available, boolean needVideo, SampleRandom audio, SampleRandom video) {
    long[] starts = new long[n];
    for (int i = 0; i < n; i++) {
      long partStart = available * i / n;
      long partEnd = available * (i + 1) / n;
      starts[i] = uniform(audio, partStart, partEnd - samples);
    }
    return independentPairs(needVideo, starts, video);
  }

  private Placed mixed(int n, long available, boolean needVideo, SampleRandom audio, SampleRandom video) {
    long[] starts = new long[n];
    for (int i = 0; i < n; i++) {
      starts[i] = uniform(audio, 0, available - samples);
    }
    return independentPairs(needVideo, starts, video);
  }

  /** Independently placed (video inside audio) pairs; the decode windows span them. */
  private Placed independentPairs(boolean needVideo, long[] audioStarts, SampleRandom video) {
    long[] videoStarts = new long[audioStarts.length];
    if (needVideo) {
      for (int i = 0; i < audioStarts.length; i++) {
        videoStarts[i] = frameInside(video, audioStarts[i], audioStarts[i] + samples - videoSamples);
      }
    }
    return new Placed(audioStarts, videoStarts);
  }

  /** hA - hV in samples: how much further each mild audio clip moves than its video clip. */
  private long mildShift() {
    return settings.mildAudioHop() - (long) settings.mildVideoHop() * spf;
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

  private static long[] repeat(long value, int n) {
    long[] out = new long[n];
    Arrays.fill(out, value);
    return out;
  }

  private static long[] hops(long first, long hop, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = first + i * hop;
    }
    return out;
  }

  private static long min(long[] values, int count) {
    long m = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      m = Math.min(m, values[i]);
    }
    return m;
  }

  private static long max(long[] values, int count) {
    long m = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      m = Math.max(m, values[i]);
    }
    return m;
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
