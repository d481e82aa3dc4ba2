package crisscross.evaluation;

import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.synth.SynthSettings;
import crisscross.pipeline.synth.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model and media small enough for tests on two cores: backbones of 4-16 channels on 4 frames of 32x32 and
 * 16x50 spectrograms (1 s at a 20 ms hop), and synthetic corpora of 1.5 s clips.
 */
public final class TinySetup {
  /** The configuration the tiny model is "pretrained" with (what a checkpoint of it would store). */
  public static final List<String> MODEL = List.of(
      "model.preset=tiny",
      "model.presets.tiny.video-channels=[4, 8, 8, 16]",
      "model.presets.tiny.audio-channels=[4, 8, 8, 16]",
      "model.presets.tiny.projector-hidden=16",
      "model.presets.tiny.projector-out=16",
      "model.presets.tiny.predictor-hidden=8",
      "sampling.frames-per-view=4",
      "video.crop-size=32",
      "video.decode-short-side=36",
      "video.augment.cutout-max-size=8",
      "video.augment.blur-kernel=5",
      "audio.hop-length=320",
      "audio.mel-bands=16",
      "audio.output-frames=50",
      "sampling.audio-view-seconds=1.0",
      "audio.augment.time-mask-max=5",
      "audio.augment.frequency-mask-max=3",
      "evaluation.extraction.batch-size=8",
      "evaluation.extraction.workers=2",
      "evaluation.workers=2",
      // What pretrain would have measured and stored in a run's configuration; these tests build from config alone.
      "audio.dataset-statistics.mean=-6.0",
      "audio.dataset-statistics.std=3.0");

  private TinySetup() {}

  /** The tiny configuration with further overrides. */
  public static Settings settings(String... overrides) {
    List<String> all = new ArrayList<>(MODEL);
    all.addAll(List.of(overrides));
    return ConfigLoader.load(List.of(), all);
  }

  /** A synthetic corpus of {@code clips} 1.5 s clips in {@code classes} classes, 48x32 at 16 fps, a quarter test. */
  public static Path corpus(Path dir, int clips, int classes) throws IOException {
    SyntheticCorpus.generate(new SynthSettings(clips, classes, 1.5, 5, 48, 32, 16, 16_000, 0.25, 2), dir);
    return dir;
  }
}
