package crisscross.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.trainer.actor.TrainingEngine;
import crisscross.trainer.export.InitialWeights;
import crisscross.trainer.export.Safetensors;
import crisscross.trainer.export.WeightExport;
import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.step.TrainingStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** A {@code model.init-from} file that does not fit the model is a configuration error at start. */
class InitialWeightsCheckTest {
  private static final OptimSettings OPTIM = OptimSettings.paper();
  @TempDir Path dir;

  private static ModelSettings widths(int first) {
    return new ModelSettings(new int[] {first, 8, 8, 16}, new int[] {first, 8, 8, 16}, 16, 16, 8, 4, 16, 16, 32,
        DataType.FLOAT);
  }

  private Path exportOf(ModelSettings model) throws Exception {
    Path file = dir.resolve("w" + model.videoChannels()[0] + ".safetensors");
    try (ModelEngine engine = new ModelEngine(TrainingStep.create(model, CrissCrossMethod.of("crisscross", OPTIM),
        OPTIM, 1, 1))) {
      Safetensors.write(file, WeightExport.tensors(engine.snapshot(), false), Map.of());
    }
    return file;
  }

  private static TrainingEngine.Factory engines(ModelSettings model, Path file) throws Exception {
    Optional<InitialWeights> weights = Optional.of(InitialWeights.read(file, true));
    return () -> new Nd4jCpuBackend().trainingEngine(model, CrissCrossMethod.of("crisscross", OPTIM), OPTIM, 1, 2,
        weights);
  }

  @Test
  void aFileOfOtherWidthsIsRefusedNamingTheKeyTheFileAndTheTensor() throws Exception {
    Path file = exportOf(widths(8));
    Settings settings = ConfigLoader.load(List.of(), List.of("model.init-from=\"" + file + "\""));
    assertThatThrownBy(() -> PretrainRun.checkInitialWeights(settings, engines(widths(4), file)))
        .isInstanceOf(ConfigError.class).hasMessageContaining("model.init-from")
        .hasMessageContaining("tensor video_backbone.stem_conv.weight in " + file)
        .hasMessageContaining("has shape [8, 3, 3, 7, 7], the model's has [4, 3, 3, 7, 7]");
  }

  @Test
  void aFittingFileGivesTheTrainersFirstEngine() throws Exception {
    Path file = exportOf(widths(4));
    Settings settings = ConfigLoader.load(List.of(), List.of("model.init-from=\"" + file + "\""));
    try (TrainingEngine engine = PretrainRun.checkInitialWeights(settings, engines(widths(4), file))) {
      assertThat(WeightExport.tensors(engine.snapshot(), false))
          .containsExactlyElementsOf(Safetensors.read(file).tensors());
    }
  }
}
