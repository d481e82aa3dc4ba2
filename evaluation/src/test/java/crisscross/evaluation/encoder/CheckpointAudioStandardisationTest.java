package crisscross.evaluation.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import crisscross.evaluation.extract.ExtractionSettings;
import crisscross.pipeline.audio.LogMelStatistics;
import crisscross.pipeline.augment.AudioAugmentSettings;
import crisscross.pipeline.augment.AudioAugmentSettings.Standardization;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.sample.SamplingSettings;
import crisscross.pipeline.statistics.DatasetAudioStatistics;
import crisscross.trainer.checkpoint.Checkpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Evaluation standardises a checkpoint's audio the way its pretraining did. */
class CheckpointAudioStandardisationTest {

  @Test
  void aCheckpointTrainedOnDatasetStatisticsIsEvaluatedWithThem() {
    Settings trained = DatasetAudioStatistics.withStatistics(ConfigLoader.load(List.of(), List.of()),
        new LogMelStatistics(-4.75, 3.25), "measured");
    Settings evaluated = CheckpointEncoders.effectiveSettings(checkpoint(trained.renderCanonical()), List.of(),
        List.of());

    AudioAugmentSettings test = ExtractionSettings.from(evaluated).audioAugment().evaluation();
    assertThat(test.standardization()).isEqualTo(Standardization.DATASET);
    assertThat(test.datasetStatistics()).contains(new LogMelStatistics(-4.75, 3.25));
  }

  @Test
  void aCheckpointOfTheEarlierDefaultsIsEvaluatedAsItWasTrained() {
    // What a checkpoint written before the defaults changed stores: per-view standardisation, the authors'
    // placement under its earlier name, and no dataset statistics at all.
    Config old = ConfigLoader.load(List.of(), List.of()).config()
        .withValue("audio.standardize", ConfigValueFactory.fromAnyRef("view"))
        .withValue("sampling.video-placement", ConfigValueFactory.fromAnyRef("anywhere"))
        .withoutPath("audio.dataset-statistics");
    String stored = old.root().render(ConfigRenderOptions.concise());
    Settings evaluated = CheckpointEncoders.effectiveSettings(checkpoint(stored), List.of(), List.of());

    assertThat(ExtractionSettings.from(evaluated).audioAugment().evaluation().standardization())
        .isEqualTo(Standardization.VIEW);
    assertThat(SamplingSettings.from(evaluated).videoPlacement())
        .isEqualTo(SamplingSettings.VideoPlacement.ANYWHERE_IN_AUDIO_WINDOW);
    assertThat(ConfigFactory.parseString(stored).hasPath("audio.dataset-statistics")).isFalse();
  }

  private static Checkpoint checkpoint(String effectiveConfig) {
    return new Checkpoint("crisscross", "crisscross", effectiveConfig, "hash", "data", "test", null, null, null);
  }
}
