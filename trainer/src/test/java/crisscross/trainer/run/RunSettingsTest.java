package crisscross.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSettingsTest {
  @Test
  void theModelsInputShapeIsThePipelinesOutputShape() {
    RunSettings run = RunSettings.from(ConfigLoader.fromArguments(List.of("demo"), List.of()));
    assertThat(run.model().framesPerView()).isEqualTo(run.pipeline().sampling().framesPerView());
    assertThat(run.model().cropSize()).isEqualTo(run.pipeline().video().cropSize()).isEqualTo(64);
    assertThat(run.model().melBands()).isEqualTo(run.pipeline().audio().melBands()).isEqualTo(40);
    assertThat(run.model().audioFrames()).isEqualTo(run.pipeline().audio().outputFrames()).isEqualTo(100);
    assertThat(run.pipeline().batchSize()).isEqualTo(16);
  }

  /** One bound per key, whichever module reads it: the model's minimum is the pipeline's. */
  @Test
  void aBadKeyOfAnyStageIsRefusedAtLoadNamingIt() {
    for (String bad : List.of("video.crop-size=4", "audio.mel-bands=4", "audio.output-frames=7",
        "sampling.video-fps=0", "pipeline.batch-size=0", "pipeline.batch-size=1", "optim.epochs=0",
        "model.preset=huge")) {
      String key = bad.substring(0, bad.indexOf('='));
      assertThatThrownBy(() -> RunSettings.from(ConfigLoader.fromArguments(List.of("demo"), List.of(bad))))
          .as(bad).isInstanceOf(ConfigError.class).hasMessageContaining(key);
    }
  }
}
