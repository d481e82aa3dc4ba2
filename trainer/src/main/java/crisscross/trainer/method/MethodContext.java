package crisscross.trainer.method;

import crisscross.pipeline.config.Settings;
import crisscross.pipeline.source.SampleRef;
import crisscross.trainer.optim.OptimSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a method is made from: the effective configuration, the optimiser's settings and, inside a run, the run's
 * data (absent in benchmarks and reference checks, where a method that needs it is refused).
 */
public record MethodContext(Settings settings, OptimSettings optim, Optional<RunData> data) {
  /**
   * @param samples the training samples in dataset order (a batch's sample indices index this list)
   * @param workDirectory where the method may keep files (feature matrices) for the run
   * @param features the extraction of every sample's features under the current encoders
   */
  public record RunData(List<SampleRef> samples, Path workDirectory, SampleFeatures features) {
    public RunData {
      samples = List.copyOf(samples);
    }
  }

  public static MethodContext withoutData(Settings settings, OptimSettings optim) {
    return new MethodContext(settings, optim, Optional.empty());
  }

  /** The error for a method that needs the run's data where there is none. */
  public static IllegalStateException missingData(String method) {
    return new IllegalStateException("method " + method + " needs the run's training data (it computes features "
        + "of every sample); it can only run inside `crisscross pretrain`");
  }
}
