package crisscross.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.audio.LogMelStatistics;
import crisscross.pipeline.augment.AudioAugmentSettings;
import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Dataset;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.statistics.DatasetAudioStatistics;
import crisscross.pipeline.synth.MediaWriter.Container;
import crisscross.pipeline.testing.TestMedia;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.ResumeCompatibility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a pretraining run comes by the log-mel statistics of {@code audio.standardize = dataset}. */
class RunAudioStatisticsTest {
  @TempDir
  Path dir;

  @Test
  void aNewRunMeasuresThemAndRecordsThemInItsDirectoryAndConfiguration() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    TestMedia.audio(Container.WAV).seconds(3).sampleRate(16_000).writeTo(data.resolve("a.wav"));
    Settings settings = settings(data);
    Path runDirectory = dir.resolve("run");

    Settings resolved = resolve(settings, Optional.empty(), runDirectory);

    LogMelStatistics measured = AudioAugmentSettings.from(resolved).datasetStatistics().orElseThrow();
    assertThat(Files.readString(runDirectory.resolve(DatasetAudioStatistics.FILE)))
        .contains("\"mean\": " + measured.mean()).contains("\"std\": " + measured.std());
    // What the checkpoints store, and evaluate and features read back.
    assertThat(resolved.renderCanonical()).contains("\"mean\":" + measured.mean())
        .contains("\"std\":" + measured.std());
  }

  @Test
  void aResumedRunTakesThemFromItsCheckpointAndSoResumesUnderTheSameConfiguration() throws Exception {
    // The corpus now has no audio at all: measuring would fail, so the numbers must come from the checkpoint.
    Path data = Files.createDirectories(dir.resolve("data"));
    TestMedia.video(64, 48, 16).seconds(3).noAudio().writeTo(data.resolve("film.mp4"));
    Settings settings = settings(data);
    Settings trained = DatasetAudioStatistics.withStatistics(settings, new LogMelStatistics(-4.75, 3.25), "earlier");
    Checkpoint checkpoint = new Checkpoint("crisscross", "crisscross", trained.renderCanonical(), trained.hash(),
        "data", "test", null, null, null);

    Settings resumed = resolve(settings, Optional.of(new PretrainRun.StoredCheckpoint("step-50", checkpoint)),
        dir.resolve("run"));

    assertThat(AudioAugmentSettings.from(resumed).datasetStatistics()).contains(new LogMelStatistics(-4.75, 3.25));
    assertThat(ResumeCompatibility.differingKeys(checkpoint.effectiveConfig(), resumed.config())).isEmpty();
    assertThat(dir.resolve("run").resolve(DatasetAudioStatistics.FILE)).doesNotExist();
    assertThatThrownBy(() -> resolve(settings, Optional.empty(), dir.resolve("run")))
        .isInstanceOf(ConfigError.class).hasMessageContaining("audio.standardize = dataset")
        .hasMessageContaining("audio.standardize = view");
  }

  @Test
  void aCheckpointOfTheEarlierPerViewDefaultIsNotResumedUnderTheNewOne() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    TestMedia.audio(Container.WAV).seconds(3).sampleRate(16_000).writeTo(data.resolve("a.wav"));
    Settings settings = settings(data);
    Settings perView = ConfigLoader.load(List.of(), List.of("data.root=" + data, "audio.standardize=view"));
    Checkpoint old = new Checkpoint("crisscross", "crisscross", perView.renderCanonical(), perView.hash(), "data",
        "test", null, null, null);

    Settings resolved = resolve(settings, Optional.of(new PretrainRun.StoredCheckpoint("step-50", old)),
        dir.resolve("run"));

    assertThat(ResumeCompatibility.differingKeys(old.effectiveConfig(), resolved.config()))
        .anySatisfy(key -> assertThat(key).startsWith("audio.standardize (checkpoint: view, now: dataset)"));
    // Asked for the mode it was trained with, it resumes without measuring anything.
    assertThat(resolve(perView, Optional.of(new PretrainRun.StoredCheckpoint("step-50", old)), dir.resolve("r2")))
        .isSameAs(perView);
  }

  private static Settings settings(Path data, String... overrides) {
    List<String> all = new ArrayList<>(List.of(overrides));
    all.add("data.root=" + data);
    return ConfigLoader.load(List.of(), all);
  }

  private static Settings resolve(Settings settings, Optional<PretrainRun.StoredCheckpoint> latest,
      Path runDirectory) throws Exception {
    DataSettings data = DataSettings.from(settings);
    Dataset dataset = Datasets.open(data);
    try (MediaStore media = MediaStore.open(data)) {
      return PretrainRun.withAudioStatistics(settings, latest, dataset, media, runDirectory);
    }
  }
}
