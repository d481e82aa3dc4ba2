package crisscross.pipeline.decode;

import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_BITRATE;
import static org.bytedeco.ffmpeg.global.avformat.avformat_seek_file;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import crisscross.pipeline.decode.DecodeResult.Decoded;
import crisscross.pipeline.decode.DecodeResult.Skipped;
import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.media.VideoFrames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes the window a planner asks for from one media file: video on the target frame grid (§4.1: 16 fps) picked
 * by timestamp and resized to a short side, audio resampled to the target rate (§4.1: 16 kHz) in mono. Both
 * streams come from one FFmpeg grabber, opened and seeked once per call, so the two views of a sample cost one
 * decode. (Only if a seek lands after the window's start, which a sound index never makes it do, is the file read
 * again from its start.)
 *
 * <p>Every frame between the seek point and the end of the window is decoded (the codec needs them), but only the
 * frames displayed at a target time are converted to RGB and resized. Audio frames are resampled as they come and
 * placed on the grid from their timestamps ({@link AudioTimeline}). Time 0 is where the video stream starts (the
 * audio stream in audio-only files), see {@link FileClock}.
 *
 * <p>A bad file never throws: it comes back as {@link Skipped} with {@link SkipReason#UNREADABLE}, {@code NO_VIDEO},
 * {@code NO_AUDIO}, {@code TRUNCATED_VIDEO} or {@code TRUNCATED_AUDIO} (decoded counts short of the request: damaged
 * and truncated files often decode without any error), or {@code TIMEOUT}. Thread-safe: each call opens its own
 * grabber.
 */
public final class ClipDecoder {
  /**
   * Seeks aim this far before the window: an audio decoder's first frame after a seek lacks the overlap of the one
   * before (one AAC frame is 64 ms at 16 kHz). Video needs no margin: the demuxer lands on the keyframe at or
   * before the seek time.
   */
  static final double SEEK_MARGIN_SECONDS = 0.1;
  /** Audio ending this long before the window is decoded (packets depend on each other) but not resampled. */
  static final double AUDIO_LEAD_SECONDS = 0.05;
  /** Windows starting this close to the start of the file are decoded from the start, without a seek. */
  static final double SEEK_THRESHOLD_SECONDS = 1.0;
  /** Audio starting this little after the start of the file is padded with silence (see padLeadingGap). */
  static final double LEADING_AUDIO_GAP_SECONDS = 0.025;
  /** A whole-file decode shorter than the stream's stated length by more than this is truncated. */
  static final double WHOLE_FILE_TOLERANCE_SECONDS = 0.05;

  private final DecodeSettings settings;

  public ClipDecoder(DecodeSettings settings) {
    this.settings = settings;
    FfmpegLog.errorsOnly();
  }

  public DecodeSettings settings() {
    return settings;
  }

  /**
   * Opens {@code file}, reads its {@link MediaInfo}, asks {@code planner} for the window (or a reason to skip),
   * decodes exactly that window and closes the file. A request with no frames and no samples just reads the
   * file's information.
   */
  public DecodeResult decode(Path file, Function<MediaInfo, DecodePlan> planner) {
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    Opened opened = open(file);
    if (opened.skipped != null) {
      return opened.skipped;
    }
    FFmpegFrameGrabber grabber = opened.grabber;
    try {
      FileClock clock = FileClock.of(grabber);
      MediaInfo info = info(grabber, clock);
      DecodePlan plan = planner.apply(info);
      if (plan instanceof DecodePlan.Skip skip) {
        return new Skipped(skip.reason(), skip.detail());
      }
      DecodeRequest request = (DecodeRequest) plan;
      Optional<Skipped> missing = missingStream(info, request.needsVideo(), request.needsAudio());
      if (missing.isPresent()) {
        return missing.get();
      }
      if (!request.needsVideo() && !request.needsAudio()) {
        return new Decoded(info, Optional.empty(), Optional.empty());
      }
      if (request.needsVideo() && (info.width() < 1 || info.height() < 1)) {
        return new Skipped(SkipReason.UNREADABLE, file + ": the video stream has no frame size");
      }
      Window window = Window.of(request);
      Attempt attempt = decodeWindow(grabber, info, clock, window, true, deadline);
      if (attempt.seeked && attempt.missesItsStart()) {
        close(grabber);
        opened = open(file);
        if (opened.skipped != null) {
          return opened.skipped;
        }
        grabber = opened.grabber;
        attempt = decodeWindow(grabber, info, clock, window, false, deadline);
      }
      return attempt.result(info, clock, window, file);
    } catch (DecodeTimeout e) {
      return new Skipped(SkipReason.TIMEOUT, file + ": " + e.getMessage());
    } catch (FrameGrabber.Exception | IllegalStateException e) {
      return new Skipped(SkipReason.UNREADABLE, file + ": " + describe(e));
    } finally {
      close(grabber);
    }
  }

  /**
   * The whole audio track at the target rate in mono, for spectrogram features and evaluation; works for
   * audio-only files (WAV, FLAC, MP3...) and for the audio of videos. The samples start at the first decoded one
   * ({@link AudioSamples#startSeconds()}, normally 0).
   */
  public DecodeResult decodeAudio(Path file) {
    return decodeWhole(file, false, true, settings.shortSide());
  }

  /**
   * Every frame of the target grid and/or every audio sample of {@code file}: all the frames displayed at
   * {@code k / fps} for {@code k} up to the end of the video stream. Holes inside the file, or a file that ends
   * more than {@value #WHOLE_FILE_TOLERANCE_SECONDS} s before its stated length, make it truncated.
   */
  public DecodeResult decodeWhole(Path file, boolean video, boolean audio, int shortSide) {
    if (!video && !audio) {
      throw new IllegalArgumentException("decodeWhole needs video, audio or both");
    }
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    Opened opened = open(file);
    if (opened.skipped != null) {
      return opened.skipped;
    }
    try {
      FileClock clock = FileClock.of(opened.grabber);
      MediaInfo info = info(opened.grabber, clock);
      Optional<Skipped> missing = missingStream(info, video, audio);
      if (missing.isPresent()) {
        return missing.get();
      }
      if (video && (info.width() < 1 || info.height() < 1)) {
        return new Skipped(SkipReason.UNREADABLE, file + ": the video stream has no frame size");
      }
      Window window = new Window(0, video ? -1 : 0, 0, audio ? -1 : 0, shortSide);
      return decodeWindow(opened.grabber, info, clock, window, false, deadline).result(info, clock, window, file);
    } catch (DecodeTimeout e) {
      return new Skipped(SkipReason.TIMEOUT, file + ": " + e.getMessage());
    } catch (FrameGrabber.Exception | IllegalStateException e) {
      return new Skipped(SkipReason.UNREADABLE, file + ": " + describe(e));
    } finally {
      close(opened.grabber);
    }
  }

  private static Optional<Skipped> missingStream(MediaInfo info, boolean video, boolean audio) {
    if (video && !info.hasVideo()) {
      return Optional.of(new Skipped(SkipReason.NO_VIDEO, "the file has no video stream"));
    }
    if (audio && !info.hasAudio()) {
      return Optional.of(new Skipped(SkipReason.NO_AUDIO, "the file has no audio stream"));
    }
    return Optional.empty();
  }

  /** A window on the target grids; a count of -1 means "until the stream ends". */
  private record Window(long videoStart, int videoCount, long audioStart, int audioCount, int shortSide) {
    static Window of(DecodeRequest r) {
      return new Window(r.videoStartFrame(), r.videoFrameCount(), r.audioStartSample(), r.audioSampleCount(),
          r.shortSide());
    }

    boolean video() {
      return videoCount != 0;
    }

    boolean audio() {
      return audioCount != 0;
    }
  }

  private record Opened(FFmpegFrameGrabber grabber, Skipped skipped) {}

  private Opened open(Path file) {
    if (!Files.isRegularFile(file)) {
      return new Opened(null, new Skipped(SkipReason.UNREADABLE, file + ": no such file"));
    }
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
    grabber.setImageMode(FrameGrabber.ImageMode.RAW);
    grabber.setSampleMode(FrameGrabber.SampleMode.RAW);
    if (settings.decoderThreads() > 0) {
      grabber.setVideoOption("threads", Integer.toString(settings.decoderThreads()));
    }
    try {
      grabber.start();
      return new Opened(grabber, null);
    } catch (FrameGrabber.Exception | RuntimeException e) {
      close(grabber);
      return new Opened(null, new Skipped(SkipReason.UNREADABLE, file + ": " + describe(e)));
    }
  }

  /** JavaCV's message without its hints about its own API, which mean nothing to someone reading a skip log. */
  private static String describe(Exception e) {
    String message = String.valueOf(e.getMessage());
    int hint = message.indexOf(" (Has setFormat()");
    if (hint < 0) {
      hint = message.indexOf(" (For more details");
    }
    return hint < 0 ? message : message.substring(0, hint);
  }

  private static void close(FFmpegFrameGrabber grabber) {
    if (grabber == null) {
      return;
    }
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      // Releasing native memory of a file already read cannot change the result.
    }
  }

  static MediaInfo info(FFmpegFrameGrabber grabber, FileClock clock) {
    boolean video = grabber.hasVideo();
    boolean audio = grabber.hasAudio();
    double frameRate = video ? grabber.getFrameRate() : 0;
    return new MediaInfo(clock.fileEnd(), video, audio, video ? grabber.getImageWidth() : 0,
        video ? grabber.getImageHeight() : 0, video ? grabber.getAspectRatio() : 1.0,
        Double.isFinite(frameRate) && frameRate > 0 ? frameRate : 0, video ? clock.videoEnd() : 0,
        audio ? clock.audioEnd() : 0, audio ? grabber.getSampleRate() : 0, audio ? grabber.getAudioChannels() : 0,
        grabber.getFormatContext().duration_estimation_method() == AVFMT_DURATION_FROM_BITRATE);
  }

  /**
   * The file's clock. Time 0 of the target grids is where the video stream starts (the audio stream for audio-only
   * files), not the earliest timestamp in the file: Matroska keeps the audio encoder's priming at negative times,
   * which would otherwise shift every frame. Stream ends are relative to time 0; a stream without a length of its
   * own (Matroska) is taken to last as long as the file, which is then only a header's claim.
   *
   * @param videoEndStated whether the video stream states its own length (MP4 indexes do)
   * @param audioEndStated likewise for audio
   */
  record FileClock(long originMicros, double fileEnd, double videoEnd, boolean videoEndStated, double audioEnd,
      boolean audioEndStated) {
    static FileClock of(FFmpegFrameGrabber grabber) {
      AVFormatContext format = grabber.getFormatContext();
      AVStream video = grabber.hasVideo() ? format.streams(grabber.getVideoStream()) : null;
      AVStream audio = grabber.hasAudio() ? format.streams(grabber.getAudioStream()) : null;
      long fileStart = format.start_time() != AV_NOPTS_VALUE ? format.start_time() : 0;
      long origin = video != null && video.start_time() != AV_NOPTS_VALUE ? micros(video, video.start_time())
          : audio != null && audio.start_time() != AV_NOPTS_VALUE ? micros(audio, audio.start_time()) : fileStart;
      double fileEnd = format.duration() > 0 && format.duration() != AV_NOPTS_VALUE
          ? (fileStart + format.duration() - origin) / 1e6 : 0;
      double videoEnd = stated(video) ? end(video, origin) : fileEnd;
      double audioEnd = stated(audio) ? end(audio, origin) : fileEnd;
      if (fileEnd == 0) {
        fileEnd = Math.max(videoEnd, audioEnd);
        videoEnd = stated(video) ? videoEnd : fileEnd;
        audioEnd = stated(audio) ? audioEnd : fileEnd;
      }
      return new FileClock(origin, fileEnd, videoEnd, stated(video), audioEnd, stated(audio));
    }

    private static boolean stated(AVStream stream) {
      return stream != null && stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0
          && stream.time_base().den() > 0;
    }

    private static long micros(AVStream stream, long timestamp) {
      AVRational base = stream.time_base();
      return base.den() > 0 ? Math.round(timestamp * 1e6 * base.num() / base.den()) : 0;
    }

    private static double end(AVStream stream, long originMicros) {
      long first = stream.start_time() != AV_NOPTS_VALUE ? stream.start_time() : 0;
      return (micros(stream, first + stream.duration()) - originMicros) / 1e6;
    }
  }

  private Attempt decodeWindow(FFmpegFrameGrabber grabber, MediaInfo info, FileClock clock, Window window,
      boolean mayReposition, long deadline) throws FrameGrabber.Exception {
    int fps = settings.videoFps();
    int rate = settings.audioSampleRate();
    double earliest = Double.MAX_VALUE;
    if (window.video()) {
      earliest = window.videoStart() / (double) fps;
    }
    if (window.audio()) {
      earliest = Math.min(earliest, window.audioStart() / (double) rate);
    }
    AVFormatContext format = grabber.getFormatContext();
    long startMicros = clock.originMicros();
    boolean seeked = mayReposition && earliest - SEEK_MARGIN_SECONDS >= SEEK_THRESHOLD_SECONDS
        && seek(format, startMicros + Math.round((earliest - SEEK_MARGIN_SECONDS) * 1e6));
    double audioLead = window.audio() ? window.audioStart() / (double) rate - AUDIO_LEAD_SECONDS : 0;
    FrameSize size = window.video()
        ? FrameSize.withShortSide(info.width(), info.height(), info.pixelAspectRatio(), window.shortSide())
        : null;
    VideoWindow video = window.video()
        ? new VideoWindow(window.videoStart(), window.videoCount(), fps, size.width() * size.height() * 3, !seeked)
        : null;
    AudioWindow audio = window.audio() ? new AudioWindow(window.audioStart(), window.audioCount()) : null;
    Attempt attempt = new Attempt(seeked, video, audio, size, fps, rate);
    double nativeFrameSeconds = info.frameRate() > 0 ? 1.0 / info.frameRate() : 1.0 / fps;
    try (RgbConverter converter = size == null ? null : new RgbConverter(size);
        MonoResampler resampler = audio == null ? null : new MonoResampler(rate);
        HeldPicture held = new HeldPicture()) {
      AudioTimeline timeline = new AudioTimeline(rate);
      VideoWindow.Pixels heldPixels = (rgb, offset) -> converter.convert(held.frame, rgb, offset);
      double lastVideoTime = Double.NEGATIVE_INFINITY;
      while (true) {
        checkTime(deadline);
        boolean wantVideo = video != null && !video.complete();
        boolean wantAudio = audio != null && !audio.complete();
        if (!wantVideo && !wantAudio) {
          break;
        }
        Frame frame = grabber.grabFrame(wantAudio, wantVideo, true, false, false);
        if (frame == null) {
          break;
        }
        if (wantVideo && frame.image != null && frame.opaque instanceof AVFrame picture) {
          attempt.videoFramesDecoded++;
          double time = picture.best_effort_timestamp() == AV_NOPTS_VALUE
              ? lastVideoTime + nativeFrameSeconds : (frame.timestamp - startMicros) / 1e6;
          lastVideoTime = time;
          video.next(time, frameSeconds(picture, format, frame.streamIndex, nativeFrameSeconds), heldPixels);
          held.hold(picture);
        } else if (wantAudio && frame.samples != null && frame.opaque instanceof AVFrame samples) {
          // JavaCV turns an unknown timestamp into 0 (1e6 * AV_NOPTS_VALUE overflows), which would put a frame in
          // the middle of the file before the window: its samples would be counted but never placed, a hole.
          boolean untimed = samples.best_effort_timestamp() == AV_NOPTS_VALUE;
          double time = untimed && timeline.running() ? timeline.countedSeconds()
              : (frame.timestamp - startMicros) / 1e6;
          if (attempt.audioFramesDecoded++ == 0) {
            time += trimmedSeconds(samples, format, frame.streamIndex);
          }
          if (time + samples.nb_samples() / (double) samples.sample_rate() >= audioLead) {
            placeAudio(samples, time, resampler, timeline, audio, !seeked);
          } else {
            timeline.skipped(time, samples.nb_samples(), samples.sample_rate(),
                samples.best_effort_timestamp() != AV_NOPTS_VALUE);
          }
        }
      }
      if (video != null) {
        video.finish(heldPixels);
      }
      if (audio != null) {
        int n = resampler.flush();
        audio.put(timeline.position(), resampler.samples(), 0, n);
      }
    }
    return attempt;
  }

  /**
   * Moves the demuxer to the last keyframe at or before {@code micros} (file clock), straight on the format context,
   * and tells whether it could. The grabber has decoded nothing yet, so no decoder holds frames from before; unlike
   * JavaCV's {@code setTimestamp}, nothing between the keyframe and the window is decoded twice, and nothing of a
   * stream not asked for.
   */
  private static boolean seek(AVFormatContext format, long micros) {
    // A file that cannot seek (no index) is read from the start, which is only slower.
    return avformat_seek_file(format, -1, Long.MIN_VALUE, micros, micros, 0) >= 0;
  }

  private static void placeAudio(AVFrame samples, double time, MonoResampler resampler, AudioTimeline timeline,
      AudioWindow audio, boolean fromFileStart) {
    int rate = samples.sample_rate();
    int count = samples.nb_samples();
    boolean timed = samples.best_effort_timestamp() != AV_NOPTS_VALUE;
    if (resampler.needsFlush(samples) || (timed && timeline.startsRun(time, count, rate))
        || !timeline.running()) {
      int tail = resampler.flush();
      audio.put(timeline.position(), resampler.samples(), 0, tail);
      timeline.advance(tail);
      boolean firstRun = !timeline.running();
      timeline.startRun(timed ? time : timeline.position() / (double) timeline.outputRate(), rate);
      if (firstRun && fromFileStart) {
        padLeadingGap(timeline, audio);
      }
    } else if (!timeline.placing()) {
      timeline.placeFromCount();
    }
    int n = resampler.convert(samples);
    timeline.consumed(count);
    audio.put(timeline.position(), resampler.samples(), 0, n);
    timeline.advance(n);
  }

  /**
   * Audio streams often start a few milliseconds after the video (encoder delay trimmed a little too generously):
   * sound starting that little after time 0 is taken as starting with silence, rather than making every window at
   * the start of the file truncated.
   */
  private static void padLeadingGap(AudioTimeline timeline, AudioWindow audio) {
    long gap = timeline.firstRunPosition();
    if (gap > 0 && gap <= LEADING_AUDIO_GAP_SECONDS * timeline.outputRate()) {
      audio.put(0, new float[(int) gap], 0, (int) gap);
    }
  }

  /**
   * How much a decoder cut from the start of a frame (the encoder delay of MP3 and others, removed from the first
   * frame) without moving its timestamp: the frame still lasts its packet's duration but holds fewer samples, which
   * are the last ones of that duration.
   */
  private static double trimmedSeconds(AVFrame samples, AVFormatContext format, int streamIndex) {
    if (samples.duration() <= 0 || samples.sample_rate() <= 0 || streamIndex < 0
        || streamIndex >= format.nb_streams()) {
      return 0;
    }
    AVRational base = format.streams(streamIndex).time_base();
    if (base.den() <= 0) {
      return 0;
    }
    double lasts = samples.duration() * base.num() / (double) base.den();
    double holds = samples.nb_samples() / (double) samples.sample_rate();
    return lasts - holds > 0.5 / samples.sample_rate() ? lasts - holds : 0;
  }

  /** How long a decoded picture stays on screen: its own duration, else one frame at the stream's rate. */
  private static double frameSeconds(AVFrame picture, AVFormatContext format, int streamIndex, double fallback) {
    if (picture.duration() > 0 && streamIndex >= 0 && streamIndex < format.nb_streams()) {
      AVRational base = format.streams(streamIndex).time_base();
      if (base.den() > 0) {
        return picture.duration() * base.num() / (double) base.den();
      }
    }
    return fallback;
  }

  private static void checkTime(long deadline) {
    if (Thread.currentThread().isInterrupted()) {
      throw new DecodeTimeout("decode interrupted");
    }
    if (System.nanoTime() - deadline > 0) {
      throw new DecodeTimeout("decode took longer than the configured timeout");
    }
  }

  /** What one pass over the file produced. */
  private static final class Attempt {
    final boolean seeked;
    final VideoWindow video;
    final AudioWindow audio;
    final FrameSize size;
    final int fps;
    final int rate;
    int videoFramesDecoded;
    int audioFramesDecoded;

    Attempt(boolean seeked, VideoWindow video, AudioWindow audio, FrameSize size, int fps, int rate) {
      this.seeked = seeked;
      this.video = video;
      this.audio = audio;
      this.size = size;
      this.fps = fps;
      this.rate = rate;
    }

    /** After a seek: whether the window's first frame or sample is missing (the seek landed too late). */
    boolean missesItsStart() {
      return (video != null && video.firstFilled() != 0) || (audio != null && audio.firstFilled() != 0);
    }

    DecodeResult result(MediaInfo info, FileClock clock, Window window, Path file) {
      if (video != null && videoFramesDecoded == 0) {
        return new Skipped(SkipReason.UNREADABLE, file + ": no video frame could be decoded");
      }
      if (audio != null && audioFramesDecoded == 0) {
        return new Skipped(SkipReason.UNREADABLE, file + ": no audio frame could be decoded");
      }
      Optional<VideoFrames> frames = Optional.empty();
      Optional<AudioSamples> samples = Optional.empty();
      if (video != null) {
        boolean whole = window.videoCount() < 0;
        int from = whole ? Math.max(video.firstFilled(), 0) : 0;
        int to = whole ? video.span() : window.videoCount();
        long stated = (long) Math.floor((info.videoSeconds() - WHOLE_FILE_TOLERANCE_SECONDS) * fps);
        boolean endsEarly = whole && clock.videoEndStated() && !info.durationEstimated() && to < stated;
        if (video.filled() < to - from || endsEarly) {
          return new Skipped(SkipReason.TRUNCATED_VIDEO, String.format(Locale.ROOT,
              "%s: %d of %d video frames from %.3f s decoded (video stream %.3f s)", file, video.filled(),
              whole ? Math.max(stated, to - from) : to, window.videoStart() / (double) fps, info.videoSeconds()));
        }
        frames = Optional.of(video.frames(from, to, size.height(), size.width()));
      }
      if (audio != null) {
        boolean whole = window.audioCount() < 0;
        int from = whole ? (int) Math.max(audio.firstFilled(), 0) : 0;
        int to = whole ? audio.span() : window.audioCount();
        long stated = (long) Math.floor((info.audioSeconds() - WHOLE_FILE_TOLERANCE_SECONDS) * rate);
        boolean endsEarly = whole && clock.audioEndStated() && !info.durationEstimated() && to < stated;
        if (audio.filled() < to - from || endsEarly) {
          long missing = audio.firstMissing();
          return new Skipped(SkipReason.TRUNCATED_AUDIO, String.format(Locale.ROOT,
              "%s: %d of %d audio samples from %.3f s decoded (audio stream %.3f s)%s", file, audio.filled(),
              whole ? Math.max(stated, to - from) : to, window.audioStart() / (double) rate, info.audioSeconds(),
              missing < 0 ? "" : String.format(Locale.ROOT, ", the first missing one at %.3f s",
                  (window.audioStart() + missing) / (double) rate)));
        }
        samples = Optional.of(new AudioSamples(audio.samples(from, to), rate,
            (window.audioStart() + from) / (double) rate));
      }
      return new Decoded(info, frames, samples);
    }
  }

  private static final class DecodeTimeout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DecodeTimeout(String message) {
      super(message, null, false, false);
    }
  }

  /** A reference to the last decoded picture, kept while the decoder moves on to the next one. */
  private static final class HeldPicture implements AutoCloseable {
    final AVFrame frame = av_frame_alloc();

    void hold(AVFrame picture) {
      av_frame_unref(frame);
      if (av_frame_ref(frame, picture) < 0) {
        throw new IllegalStateException("av_frame_ref failed: out of memory");
      }
    }

    @Override
    public void close() {
      av_frame_free(frame);
    }
  }
}
