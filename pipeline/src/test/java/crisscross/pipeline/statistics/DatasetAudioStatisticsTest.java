package crisscross.pipeline.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.audio.AudioSettings;
import crisscross.pipeline.audio.LogMel;
import crisscross.pipeline.audio.LogMelStatistics;
import crisscross.pipeline.augment.AudioAugmentSettings;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.decode.ClipDecoder;
import crisscross.pipeline.decode.DecodeResult;
import crisscross.pipeline.decode.DecodeSettings;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Dataset;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.synth.MediaWriter.Container;
import crisscross.pipeline.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetAudioStatisticsTest {
  @TempDir
  Path dir;

  @Test
  void theStatisticsAreThoseOfAnUnaugmentedViewAndUnusableClipsArePassedOver() throws Exception {
    // 2 s of tone is exactly one audio view: its only placement starts at sample 0.
    Path usable = TestMedia.audio(Container.WAV).seconds(2).sampleRate(16_000).writeTo(dir.resolve("tone.wav"));
    TestMedia.audio(Container.WAV).seconds(1).sampleRate(16_000).writeTo(dir.resolve("short.wav"));
    TestMedia.video(64, 48, 16).seconds(3).noAudio().writeTo(dir.resolve("silent-film.mp4"));
    TestMedia.garbage(dir.resolve("broken.wav"), 4000, 3);
    Settings settings = settings();
    assertThat(DatasetAudioStatistics.needed(settings)).isTrue();

    Settings resolved = measured(settings);

    assertThat(DatasetAudioStatistics.needed(resolved)).isFalse();
    LogMelStatistics statistics = AudioAugmentSettings.from(resolved).datasetStatistics().orElseThrow();
    float[] view = ((DecodeResult.Decoded) new ClipDecoder(DecodeSettings.from(settings)).decodeAudio(usable))
        .audio().orElseThrow().samples();
    AudioSettings audio = AudioSettings.from(settings);
    float[] logMel = new LogMel(audio).compute(java.util.Arrays.copyOf(view, 32_000), 1.0, audio.outputFrames())
        .values();
    LogMelStatistics expected = new LogMelStatistics.Accumulator().add(logMel).result();
    assertThat(statistics).isEqualTo(expected);
    // The run's configuration carries them, so a checkpoint stores them with everything else it was trained on.
    assertThat(resolved.config().getDouble(AudioAugmentSettings.DATASET_MEAN)).isEqualTo(expected.mean());
    assertThat(resolved.config().getDouble(AudioAugmentSettings.DATASET_STD)).isEqualTo(expected.std());
  }

  @Test
  void theSeedChoosesTheClipsAndTheSameSeedChoosesThemAgain() throws Exception {
    for (int i = 0; i < 6; i++) {
      // Louder and louder tones, so each choice of two clips has its own mean.
      TestMedia.audio(Container.WAV).seconds(3).sampleRate(16_000)
          .tone(new TestMedia.Tone(300 + 100 * i, 0, 0.05 * (i + 1))).writeTo(dir.resolve("tone-" + i + ".wav"));
    }
    LogMelStatistics first = statistics(measured(settings("audio.dataset-statistics.clips=2", "run.seed=1")));
    assertThat(statistics(measured(settings("audio.dataset-statistics.clips=2", "run.seed=1")))).isEqualTo(first);
    List<LogMelStatistics> others = new ArrayList<>();
    for (int seed = 2; seed < 6; seed++) {
      others.add(statistics(measured(settings("audio.dataset-statistics.clips=2", "run.seed=" + seed))));
    }
    assertThat(others).anySatisfy(other -> assertThat(other.mean()).isNotEqualTo(first.mean()));
  }

  @Test
  void aCorpusWithoutAudioIsRefusedAndGivenStatisticsAreKept() throws Exception {
    TestMedia.video(64, 48, 16).seconds(3).noAudio().writeTo(dir.resolve("silent-film.mp4"));
    assertThatThrownBy(() -> measured(settings())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("audio.standardize = dataset").hasMessageContaining("none of the 1 training samples");
    Settings given = settings("audio.dataset-statistics.mean=-4", "audio.dataset-statistics.std=2");
    assertThat(DatasetAudioStatistics.needed(given)).isFalse();
    assertThat(measured(given)).isSameAs(given);
    Settings perView = settings("audio.standardize=view");
    assertThat(measured(perView)).isSameAs(perView);
  }

  @Test
  void theRunDirectoryRecordSaysWhatWasMeasured() throws Exception {
    Path file = DatasetAudioStatistics.write(dir.resolve("run"), new LogMelStatistics(-5.25, 3.5), 64, 42);
    assertThat(file).hasFileName(DatasetAudioStatistics.FILE);
    assertThat(Files.readString(file)).contains("\"mean\": -5.25").contains("\"std\": 3.5").contains("\"clips\": 64")
        .contains("\"seed\": 42");
  }

  private Settings settings(String... overrides) {
    List<String> all = new ArrayList<>(List.of(overrides));
    all.add("data.root=" + dir);
    return ConfigLoader.load(List.of(), all);
  }

  private static Settings measured(Settings settings) throws Exception {
    DataSettings data = DataSettings.from(settings);
    Dataset dataset = Datasets.open(data);
    try (MediaStore media = MediaStore.open(data)) {
      return DatasetAudioStatistics.resolve(settings, dataset.samples(), media);
    }
  }

  private static LogMelStatistics statistics(Settings settings) {
    return AudioAugmentSettings.from(settings).datasetStatistics().orElseThrow();
  }
}
