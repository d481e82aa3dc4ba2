package crisscross.trainer.run;

import crisscross.pipeline.config.Settings;
import crisscross.pipeline.stream.PipelineSettings;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.optim.OptimSettings;

/**
 * A pretraining run's module settings, parsed once at start: a bad key of any stage is refused, naming it, before
 * any data is read or any weight is drawn. The method's own block is read by the method ({@code config/methods/}).
 */
public record RunSettings(PipelineSettings pipeline, ModelSettings model, OptimSettings optim) {
  public static RunSettings from(Settings settings) {
    return new RunSettings(PipelineSettings.from(settings), ModelSettings.from(settings), OptimSettings.from(settings));
  }
}
