package crisscross.evaluation.extract;

import crisscross.pipeline.augment.AudioAugmenter;
import crisscross.pipeline.augment.VideoAugmenter;
import crisscross.pipeline.decode.ClipDecoder;
import crisscross.pipeline.decode.DecodePlan;
import crisscross.pipeline.decode.DecodeRequest;
import crisscross.pipeline.decode.DecodeResult;
import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.FetchFailedException;
import crisscross.pipeline.source.LocalMedia;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import crisscross.trainer.model.Modality;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns one sample into the encoder inputs of its clips: fetch the media (in place, or spooled from object
 * storage), place the clips ({@link ClipPlan}: random for {@link ClipStyle#TRAIN}, uniform for
 * {@link ClipStyle#TEST}), decode the one window that covers them all, cut each clip and prepare it with the
 * augmenter given (the caller picks Table S1/S2's chain for training clips, the clean evaluation chain for test
 * clips). Every draw comes from the generator passed in, so the same generator gives the same inputs.
 *
 * <p>Thread-safe; never throws for a bad sample: it comes back as {@link SampleClips.Skipped} with a reason.
 */
public final class ClipLoader {
  private final MediaStore store;
  private final ClipDecoder decoder;
  private final ClipSpec spec;
  private final VideoAugmenter video;
  private final AudioAugmenter audio;

  private ClipLoader(MediaStore store, ClipDecoder decoder, ClipSpec spec, VideoAugmenter video,
      AudioAugmenter audio) {
    this.store = store;
    this.decoder = decoder;
    this.spec = spec;
    this.video = video;
    this.audio = audio;
  }

  /** Video clips prepared by {@code augmenter} (its crop size is the input's side). */
  public static ClipLoader video(MediaStore store, ClipDecoder decoder, ClipSpec spec, VideoAugmenter augmenter) {
    if (spec.modality() != Modality.VIDEO) {
      throw new IllegalArgumentException("video clips need a video clip spec, got " + spec);
    }
    return new ClipLoader(store, decoder, spec, augmenter, null);
  }

  /** Audio clips prepared by {@code augmenter} (its frontend's output frames must fit the clip). */
  public static ClipLoader audio(MediaStore store, ClipDecoder decoder, ClipSpec spec, AudioAugmenter augmenter) {
    if (spec.modality() != Modality.AUDIO) {
      throw new IllegalArgumentException("audio clips need an audio clip spec, got " + spec);
    }
    if (augmenter.audioSettings().frameCount(spec.audioSamples()) < augmenter.audioSettings().outputFrames()) {
      throw new IllegalArgumentException("an audio clip of " + spec.audioSamples() + " samples gives fewer than the "
          + augmenter.audioSettings().outputFrames() + " spectrogram frames the encoder input has");
    }
    return new ClipLoader(store, decoder, spec, null, augmenter);
  }

  public ClipSpec spec() {
    return spec;
  }

  /** Shape of one clip's input without the batch axis: {@code [3, T, S, S]} or {@code [1, F, N]}. */
  public long[] inputShape() {
    if (spec.modality() == Modality.VIDEO) {
      long side = video.settings().cropSize();
      return new long[] {3, spec.videoFrames(), side, side};
    }
    return new long[] {1, audio.audioSettings().melBands(), audio.audioSettings().outputFrames()};
  }

  /**
   * Everything that changes the inputs, as one canonical line (for cache keys): the clip spec, the decoding grid and
   * size, and the preparation chain's settings.
   */
  public String describe() {
    String preparation = spec.modality() == Modality.VIDEO ? video.settings().toString()
        : audio.audioSettings() + " " + audio.settings();
    return String.format(Locale.ROOT, "%s fps=%d rate=%d short-side=%d %s", spec,
        decoder.settings().videoFps(), decoder.settings().audioSampleRate(), decoder.settings().shortSide(),
        preparation);
  }

  /**
   * The clips of {@code sample}: their times drawn from {@code draws.fork("clip-times")} (training clips only),
   * clip {@code i} prepared with {@code draws.fork("prepare").fork(i)}.
   */
  public SampleClips load(SampleRef sample, SampleRandom draws) {
    boolean isVideo = spec.modality() == Modality.VIDEO;
    AtomicReference<long[]> planned = new AtomicReference<>();
    DecodeResult result;
    try (LocalMedia media = store.fetch(sample)) {
      result = decoder.decode(media.path(), info -> {
        double usable = info.usableSeconds(isVideo, !isVideo);
        if (usable < spec.spanSeconds()) {
          return DecodePlan.skip(SkipReason.TOO_SHORT, String.format(Locale.ROOT,
              "%.3f s of %s, a clip spans %.3f s", usable, spec.modality().prefix(), spec.spanSeconds()));
        }
        long[] starts = starts(usable, draws);
        if (starts == null) {
          return DecodePlan.skip(SkipReason.TOO_SHORT, String.format(Locale.ROOT,
              "%.3f s of %s hold fewer than the %d %s of a clip", usable, spec.modality().prefix(),
              isVideo ? spec.videoFrames() : spec.audioSamples(), isVideo ? "frames" : "samples"));
        }
        planned.set(starts);
        long first = Long.MAX_VALUE;
        long last = 0;
        int length = isVideo ? spec.videoFrames() : spec.audioSamples();
        for (long s : starts) {
          first = Math.min(first, s);
          last = Math.max(last, s + length);
        }
        int count = Math.toIntExact(last - first);
        return isVideo ? DecodeRequest.video(first, count, decoder.settings().shortSide())
            : DecodeRequest.audio(first, count);
      });
    } catch (FetchFailedException e) {
      return new SampleClips.Skipped(sample, e.reason(), e.getMessage());
    }
    if (result instanceof DecodeResult.Skipped skipped) {
      return new SampleClips.Skipped(sample, skipped.reason(), skipped.detail());
    }
    DecodeResult.Decoded decoded = (DecodeResult.Decoded) result;
    long[] starts = planned.get();
    long first = Long.MAX_VALUE;
    for (long s : starts) {
      first = Math.min(first, s);
    }
    SampleRandom prepare = draws.fork("prepare");
    List<float[]> inputs = new ArrayList<>(starts.length);
    for (int i = 0; i < starts.length; i++) {
      int offset = Math.toIntExact(starts[i] - first);
      if (isVideo) {
        VideoFrames window = decoded.video().orElseThrow();
        inputs.add(video.apply(window.slice(offset, offset + spec.videoFrames()), prepare.fork(i)));
      } else {
        AudioSamples window = decoded.audio().orElseThrow();
        inputs.add(audio.apply(window.slice(offset, offset + spec.audioSamples()), prepare.fork(i)));
      }
    }
    return new SampleClips.Clips(sample, inputs);
  }

  /** First grid index of every clip's window, or null when a window is longer than the stream. */
  private long[] starts(double usable, SampleRandom draws) {
    double[] spans = spec.style() == ClipStyle.TEST
        ? ClipPlan.uniform(usable, spec.spanSeconds(), spec.clipsPerSample())
        : ClipPlan.random(usable, spec.spanSeconds(), spec.clipsPerSample(), draws.fork("clip-times"));
    boolean isVideo = spec.modality() == Modality.VIDEO;
    double rate = isVideo ? decoder.settings().videoFps() : decoder.settings().audioSampleRate();
    int length = isVideo ? spec.videoFrames() : spec.audioSamples();
    long available = (long) Math.floor(usable * rate + 1e-6);
    if (length > available) {
      return null;
    }
    long[] starts = new long[spans.length];
    for (int i = 0; i < spans.length; i++) {
      starts[i] = ClipPlan.windowStart(spans[i], spec.spanSeconds(), length, rate, available);
    }
    return starts;
  }
}
