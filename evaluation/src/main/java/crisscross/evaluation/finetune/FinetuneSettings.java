package crisscross.evaluation.finetune;

import crisscross.pipeline.augment.VideoAugmentSettings;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.sample.SamplingSettings;
import java.util.List;

/**
 * The {@code evaluation.finetune} keys (Appendix E.2, Table S11 for UCF101 with 8-frame inputs).
 *
 * @param frames frames per clip (E.2: 8 or 32)
 * @param cropSize side of the square clip (E.2: 224)
 * @param batchSize clips per SGD step (Table S11: 64)
 * @param epochs passes of {@code epochSize} training clips (Table S11: 20)
 * @param milestones epochs at which the rate is multiplied by {@code gamma} (Table S11: 6/10/14)
 * @param lr initial learning rate (Table S11: 0.0005)
 * @param gamma rate decay at each milestone (Table S11: 0.3 for UCF101, 0.1 for HMDB51 8-frame)
 * @param momentum SGD momentum (Table S11: 0.9)
 * @param weightDecay L2 penalty added to the gradient (Table S11: 0)
 * @param dropout dropout before the new linear layer (Table S11: 0)
 * @param epochSize training clips per epoch; 0 = ten per training sample (Table S11: 95K for UCF101)
 * @param testClips uniformly spaced clean clips per test sample (E.2: 10)
 */
public record FinetuneSettings(int frames, int cropSize, int batchSize, int epochs, List<Integer> milestones,
    double lr, double gamma, double momentum, double weightDecay, double dropout, int epochSize, int testClips) {
  /** Training clips per training sample and epoch when {@code epoch-size} is 0 (Table S11: 95K / 9.5K videos). */
  public static final int DEFAULT_CLIPS_PER_SAMPLE = 10;

  public FinetuneSettings {
    milestones = List.copyOf(milestones);
    if (frames < 1 || cropSize < 1 || batchSize < 2 || epochs < 1 || epochSize < 0 || testClips < 1) {
      throw new IllegalArgumentException("finetuning needs positive sizes and a batch of at least 2 (batch "
          + "normalisation): frames " + frames + ", crop " + cropSize + ", batch " + batchSize + ", epochs " + epochs
          + ", epoch size " + epochSize + ", test clips " + testClips);
    }
    if (!(lr > 0) || !(gamma > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0 || dropout < 0
        || dropout >= 1) {
      throw new IllegalArgumentException("finetuning needs lr > 0, gamma > 0, momentum and dropout in [0, 1), "
          + "weight decay >= 0");
    }
  }

  /** Reads the keys; frames and crop size 0 mean the checkpoint's own ({@code sampling.frames-per-view}, ...). */
  public static FinetuneSettings from(Settings settings) {
    String f = "evaluation.finetune.";
    int frames = settings.integer(f + "frames", 0, 1024);
    int crop = settings.integer(f + "crop-size", 0, 4096);
    List<Integer> milestones = settings.integers(f + "milestones", 1, 1_000_000);
    for (int i = 1; i < milestones.size(); i++) {
      if (milestones.get(i) <= milestones.get(i - 1)) {
        throw settings.invalid(f + "milestones", "must increase, got " + milestones);
      }
    }
    int batch = settings.integer(f + "batch-size", 2, 1 << 16);
    return new FinetuneSettings(
        frames > 0 ? frames : SamplingSettings.framesPerView(settings),
        crop > 0 ? crop : VideoAugmentSettings.cropSize(settings),
        batch, settings.integer(f + "epochs", 1, 100_000), milestones,
        settings.real(f + "lr", 1e-12, 100), settings.real(f + "gamma", 1e-6, 1e6),
        settings.real(f + "momentum", 0, 0.999999), settings.real(f + "weight-decay", 0, 100),
        settings.real(f + "dropout", 0, 0.99), settings.integer(f + "epoch-size", 0, Integer.MAX_VALUE),
        settings.integer(f + "test-clips", 1, 10_000));
  }

  /** Training clips in one epoch for {@code trainSamples} training samples. */
  public int clipsPerEpoch(int trainSamples) {
    return epochSize > 0 ? epochSize : DEFAULT_CLIPS_PER_SAMPLE * trainSamples;
  }
}
