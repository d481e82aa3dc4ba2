package crisscross.evaluation.extract;

import crisscross.evaluation.ParallelTasks;
import crisscross.evaluation.features.MaxPool;
import crisscross.pipeline.audio.AudioSettings;
import crisscross.pipeline.augment.AudioAugmentSettings;
import crisscross.pipeline.augment.AudioAugmenter;
import crisscross.pipeline.augment.VideoAugmentSettings;
import crisscross.pipeline.augment.VideoAugmenter;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.decode.ClipDecoder;
import crisscross.pipeline.decode.DecodeSettings;
import crisscross.pipeline.sample.SamplingSettings;
import crisscross.pipeline.source.MediaStore;
import java.util.List;

/**
 * How clips become encoder inputs in an evaluation: the {@code evaluation.extraction}, {@code evaluation.video},
 * {@code evaluation.audio} and {@code evaluation.fusion} keys over the checkpoint's own configuration, whose
 * decoding grid, input sizes, audio frontend and augmentation chains are the defaults (the encoders see clips like
 * the ones they were pretrained on unless a protocol asks for other sizes, e.g. Appendix E.1's 224x224 clips).
 *
 * @param batchSize clips per encoder forward pass
 * @param workers clip-loading threads
 * @param seed {@code run.seed}: draws the training clips' times and augmentation
 * @param decode the checkpoint's decoding grid and short side
 * @param pretrainCrop the checkpoint's {@code video.crop-size}
 * @param videoAugment the checkpoint's video chain (Table S1) at its crop size
 * @param audio the checkpoint's log-mel frontend
 * @param audioAugment the checkpoint's audio chain (Table S2)
 * @param video clips and pooling of video linear evaluation and retrieval
 * @param audioClips clips and pooling of audio linear evaluation and retrieval
 * @param fusion clips and pooling of late fusion
 */
public record ExtractionSettings(int batchSize, int workers, long seed, DecodeSettings decode, int pretrainCrop,
    VideoAugmentSettings videoAugment, AudioSettings audio, AudioAugmentSettings audioAugment, VideoClips video,
    AudioClips audioClips, FusionClips fusion) {

  /**
   * @param frames frames per clip
   * @param cropSize side of the square input
   * @param trainClips augmented clips per training sample (E.1: 25)
   * @param testClips uniformly spaced clean clips per test sample (E.1: 10)
   * @param pooling over (T, H, W) of the last conv block (E.1: (1,4,4))
   */
  public record VideoClips(int frames, int cropSize, int trainClips, int testClips, MaxPool pooling) {}

  /**
   * @param samples samples per clip on the decoding grid
   * @param trainClips augmented clips per training sample (E.1, ESC-50: ten epochs' worth)
   * @param testClips uniformly spaced clean clips per test sample (E.1: 10)
   * @param pooling over (F, T) of the last conv block (E.1: kernel (1,3), stride (1,2))
   * @param timeWarp warp the training clips' spectrograms (E.1: it helps linear evaluation)
   */
  public record AudioClips(int samples, int trainClips, int testClips, MaxPool pooling, boolean timeWarp) {}

  /**
   * @param trainClips random audio-visual clips per training sample (E.1: 10)
   * @param testClips uniformly spaced clips per test sample
   * @param videoPooling E.1: (1,2,2)
   * @param audioPooling E.1: (1,4)
   */
  public record FusionClips(int trainClips, int testClips, MaxPool videoPooling, MaxPool audioPooling) {}

  public static ExtractionSettings from(Settings settings) {
    DecodeSettings decode = DecodeSettings.from(settings).withDecoderThreads(1);
    int pretrainCrop = VideoAugmentSettings.cropSize(settings);
    int pretrainFrames = SamplingSettings.framesPerView(settings);
    AudioSettings audio = AudioSettings.from(settings);
    double pretrainSeconds = SamplingSettings.audioViewSeconds(settings);
    int frames = orDefault(settings.integer("evaluation.video.frames", 0, 1024), pretrainFrames);
    int crop = orDefault(settings.integer("evaluation.video.crop-size", 0, 4096), pretrainCrop);
    double seconds = settings.real("evaluation.audio.seconds", 0, 3600);
    int samples = (int) Math.round((seconds > 0 ? seconds : pretrainSeconds) * decode.audioSampleRate());
    if (samples / audio.hopLength() < 1) {
      throw settings.invalid("evaluation.audio.seconds", "a clip of " + samples + " samples is shorter than one hop of "
          + audio.hopLength());
    }
    VideoClips video = new VideoClips(frames, crop,
        settings.integer("evaluation.video.train-clips", 1, 10_000),
        settings.integer("evaluation.video.test-clips", 1, 10_000),
        pooling(settings, "evaluation.video.pool-kernel", "evaluation.video.pool-stride", 3));
    AudioClips audioClips = new AudioClips(samples,
        settings.integer("evaluation.audio.train-clips", 1, 10_000),
        settings.integer("evaluation.audio.test-clips", 1, 10_000),
        pooling(settings, "evaluation.audio.pool-kernel", "evaluation.audio.pool-stride", 2),
        settings.bool("evaluation.audio.time-warp"));
    FusionClips fusion = new FusionClips(
        settings.integer("evaluation.fusion.train-clips", 1, 10_000),
        settings.integer("evaluation.fusion.test-clips", 1, 10_000),
        pooling(settings, "evaluation.fusion.video-pool-kernel", null, 3),
        pooling(settings, "evaluation.fusion.audio-pool-kernel", null, 2));
    return new ExtractionSettings(settings.integer("evaluation.extraction.batch-size", 1, 1 << 16),
        ParallelTasks.resolveWorkers(settings.integer("evaluation.extraction.workers", 0, 1024)),
        settings.runSeed(), decode, pretrainCrop,
        VideoAugmentSettings.from(settings), audio, AudioAugmentSettings.from(settings), video, audioClips, fusion);
  }

  /**
   * Video clips of {@code frames} x {@code crop}: training clips through Table S1's chain without Gaussian blur
   * (E.1: blur "deteriorates the performance") unless {@code keepBlur} (E.2's finetuning keeps every augmentation),
   * test clips centre-cropped with no augmentation. Frames are decoded at the checkpoint's short side scaled by
   * {@code crop / pretrainCrop}, so the crop covers the same share of the frame as in pretraining.
   */
  public ClipLoader videoLoader(MediaStore store, ClipSpec spec, int crop, boolean keepBlur) {
    VideoAugmentSettings atCrop = videoAugment.toBuilder().cropSize(crop).build();
    VideoAugmentSettings chain = spec.style() == ClipStyle.TEST ? atCrop.evaluation()
        : keepBlur ? atCrop : atCrop.withoutBlur();
    int shortSide = Math.max(crop, (int) Math.round(decode.shortSide() * (double) crop / pretrainCrop));
    return ClipLoader.video(store, new ClipDecoder(decode.withShortSide(shortSide)), spec, new VideoAugmenter(chain));
  }

  /**
   * Audio clips as spectrograms of {@code samples / hop} frames: training clips through Table S2's chain (time warp
   * as {@link AudioClips#timeWarp}), test clips as plain standardised log-mels.
   */
  public ClipLoader audioLoader(MediaStore store, ClipSpec spec) {
    AudioSettings frontend = new AudioSettings(audio.sampleRate(), audio.fftSize(), audio.hopLength(),
        audio.melBands(), spec.audioSamples() / audio.hopLength(), audio.logOffset());
    AudioAugmentSettings chain = spec.style() == ClipStyle.TEST ? audioAugment.evaluation()
        : audioAugment.withTimeWarp(audioClips.timeWarp());
    return ClipLoader.audio(store, new ClipDecoder(decode), spec, new AudioAugmenter(frontend, chain));
  }

  /** Clips of linear video evaluation and video retrieval. */
  public ClipSpec videoSpec(ClipStyle style) {
    return ClipSpec.video(style, style == ClipStyle.TRAIN ? video.trainClips() : video.testClips(), video.frames(),
        decode.videoFps());
  }

  /** Clips of linear audio evaluation and audio retrieval. */
  public ClipSpec audioSpec(ClipStyle style) {
    return ClipSpec.audio(style, style == ClipStyle.TRAIN ? audioClips.trainClips() : audioClips.testClips(),
        audioClips.samples(), decode.audioSampleRate());
  }

  /** Late fusion's clips of one modality: both modalities span the longer of the two windows. */
  public ClipSpec fusionSpec(crisscross.trainer.model.Modality modality, ClipStyle style) {
    int clips = style == ClipStyle.TRAIN ? fusion.trainClips() : fusion.testClips();
    ClipSpec videoClip = ClipSpec.video(style, clips, video.frames(), decode.videoFps());
    ClipSpec audioClip = ClipSpec.audio(style, clips, audioClips.samples(), decode.audioSampleRate());
    double span = Math.max(videoClip.spanSeconds(), audioClip.spanSeconds());
    return (modality == crisscross.trainer.model.Modality.VIDEO ? videoClip : audioClip).withSpan(span);
  }

  private static int orDefault(int configured, int fallback) {
    return configured > 0 ? configured : fallback;
  }

  private static MaxPool pooling(Settings settings, String kernelKey, String strideKey, int axes) {
    List<Integer> kernel = settings.integers(kernelKey, 1, 4096);
    if (kernel.size() != axes) {
      throw settings.invalid(kernelKey, "needs " + axes + " values (one per axis after the channels), got "
          + kernel);
    }
    List<Integer> stride = strideKey == null ? kernel : settings.integers(strideKey, 1, 4096);
    if (stride.size() != axes) {
      throw settings.invalid(strideKey, "needs " + axes + " values, got " + stride);
    }
    return new MaxPool(kernel.stream().mapToInt(Integer::intValue).toArray(),
        stride.stream().mapToInt(Integer::intValue).toArray());
  }
}
