package crisscross.pipeline.stream;

import crisscross.pipeline.augment.SampleAugmenter;
import crisscross.pipeline.decode.ClipDecoder;
import crisscross.pipeline.decode.DecodePlan;
import crisscross.pipeline.decode.DecodeRequest;
import crisscross.pipeline.decode.DecodeResult;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.sample.ClipCounts;
import crisscross.pipeline.sample.ClipTiming;
import crisscross.pipeline.sample.SamplingOutcome;
import crisscross.pipeline.sample.ViewPlan;
import crisscross.pipeline.sample.ViewSampler;
import crisscross.pipeline.source.FetchFailedException;
import crisscross.pipeline.source.LocalMedia;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads one visit of a sample the way the paper trains on it: fetch the media (in place, or spooled from object
 * storage), open it once, let the view sampler place the windows of the relaxation mode in the clip (§4.3), decode
 * that one window (one seek for all clips), and augment each view with its own draws. Every random draw
 * comes from the visit's generator, seeded by (run seed, epoch, draw key).
 */
public final class DecodingSampleLoader implements SampleLoader {
  private final MediaStore store;
  private final ClipDecoder decoder;
  private final ViewSampler sampler;
  private final SampleAugmenter augmenter;
  private final ClipCounts clips;
  private final boolean needVideo;
  private final boolean needAudio;
  private final long runSeed;

  /**
   * @param clips the clips the method trains on: files without video are skipped as NO_VIDEO when it needs video
   *     clips, files without audio as NO_AUDIO when it needs audio clips
   * @throws IllegalArgumentException when the sampler's mode cannot place that many clips
   */
  public DecodingSampleLoader(MediaStore store, ClipDecoder decoder, ViewSampler sampler, SampleAugmenter augmenter,
      ClipCounts clips, long runSeed) {
    sampler.refusal(clips).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
    this.store = store;
    this.decoder = decoder;
    this.sampler = sampler;
    this.augmenter = augmenter;
    this.clips = clips;
    this.needVideo = clips.needVideo();
    this.needAudio = clips.needAudio();
    this.runSeed = runSeed;
  }

  /** The loader the configuration describes (decoder, sampler, augmentations; seed {@code run.seed}). */
  public static DecodingSampleLoader fromSettings(crisscross.pipeline.config.Settings settings, MediaStore store,
      ClipCounts clips) {
    return create(PipelineSettings.from(settings), store, clips);
  }

  /** The loader of the stages {@code pipeline} configures, cutting {@code clips} per sample. */
  public static DecodingSampleLoader create(PipelineSettings pipeline, MediaStore store, ClipCounts clips) {
    return new DecodingSampleLoader(store, new ClipDecoder(pipeline.decode()), new ViewSampler(pipeline.sampling()),
        new SampleAugmenter(new crisscross.pipeline.augment.VideoAugmenter(pipeline.video()),
            new crisscross.pipeline.augment.AudioAugmenter(pipeline.audio(), pipeline.audioAugment())),
        clips, pipeline.runSeed());
  }

  /**
   * A visit loaded, with what was decided on the way: the view plan and the decoded windows (for inspection and
   * benchmarks).
   */
  public record Detailed(LoadedSample sample, Optional<ViewPlan> plan, Optional<DecodeResult.Decoded> decoded) {}

  @Override
  public LoadedSample load(SampleRef sample, LoadedSample.Visit visit) {
    return loadDetailed(sample, visit, true).sample();
  }

  /**
   * As {@link #load}; with {@code augment} false the windows are decoded exactly as for training and nothing else
   * is done (the views are then null): the decode-only baseline of {@code bench pipeline}.
   */
  public Detailed loadDetailed(SampleRef sample, LoadedSample.Visit visit, boolean augment) {
    SampleRandom random = SampleRandom.forSample(runSeed, visit.epoch(), visit.drawKey());
    AtomicReference<ViewPlan> planned = new AtomicReference<>();
    DecodeResult result;
    try (LocalMedia media = store.fetch(sample)) {
      result = decoder.decode(media.path(), info -> {
        // A missing stream is the real reason; without this check it would look like a clip too short to sample.
        if (needAudio && !info.hasAudio()) {
          return DecodePlan.skip(SkipReason.NO_AUDIO, media.path() + " has no audio stream");
        }
        if (needVideo && !info.hasVideo()) {
          return DecodePlan.skip(SkipReason.NO_VIDEO, media.path() + " has no video stream");
        }
        SamplingOutcome outcome = sampler.plan(info.usableSeconds(needVideo, needAudio), clips,
            random.fork("views"));
        if (outcome instanceof SamplingOutcome.TooShort tooShort) {
          return DecodePlan.skip(tooShort.reason(), tooShort.detail());
        }
        ViewPlan plan = (ViewPlan) outcome;
        planned.set(plan);
        return new DecodeRequest(plan.videoStartFrame(), needVideo ? plan.videoFrameCount() : 0,
            plan.audioStartSample(), needAudio ? plan.audioSampleCount() : 0, decoder.settings().shortSide());
      });
    } catch (FetchFailedException e) {
      return new Detailed(new LoadedSample.Skipped(visit, e.reason(), e.getMessage()), Optional.empty(),
          Optional.empty());
    }
    Optional<ViewPlan> plan = Optional.ofNullable(planned.get());
    if (result instanceof DecodeResult.Skipped skipped) {
      return new Detailed(new LoadedSample.Skipped(visit, skipped.reason(), skipped.detail()), plan,
          Optional.empty());
    }
    DecodeResult.Decoded decoded = (DecodeResult.Decoded) result;
    if (!augment) {
      return new Detailed(new LoadedSample.Views(visit, List.of(), List.of()), plan, Optional.of(decoded));
    }
    SampleAugmenter.Views views = augmenter.apply(planned.get(), decoded.video(), decoded.audio(), clips.audio(),
        random.fork("augment"));
    return new Detailed(new LoadedSample.Views(visit, views.video(), views.audio(), videoTimings(planned.get()),
        audioTimings(planned.get())), plan, Optional.of(decoded));
  }

  private List<ClipTiming> videoTimings(ViewPlan plan) {
    List<ClipTiming> timings = new ArrayList<>();
    for (int clip = 1; needVideo && clip <= plan.videoClips(); clip++) {
      timings.add(plan.videoTiming(clip, sampler.settings().videoFps()));
    }
    return timings;
  }

  private List<ClipTiming> audioTimings(ViewPlan plan) {
    List<ClipTiming> timings = new ArrayList<>();
    if (needAudio) {
      for (int clip : plan.audioClipsUsed(clips.audio())) {
        timings.add(plan.audioTiming(clip, sampler.settings().audioSampleRate()));
      }
    }
    return timings;
  }
}
