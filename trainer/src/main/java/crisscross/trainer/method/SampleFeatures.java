package crisscross.trainer.method;

import crisscross.pipeline.config.Settings;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import crisscross.pipeline.stream.BadFiles;
import crisscross.trainer.model.Encoders;
import crisscross.trainer.model.Modality;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Features of every training sample under the current encoders, for methods that cluster or index their data
 * (XDC): one clean centre clip per sample through a backbone in inference mode, the last conv block's map averaged
 * to one vector. The run provides it (the evaluation's extraction path); rows of samples that cannot be loaded are
 * left missing.
 */
public interface SampleFeatures extends AutoCloseable {
  /**
   * Row {@code i} of the new file at {@code file} is sample {@code i} of the run's dataset.
   *
   * @param label names the task on the progress line ("XDC round 3, video features")
   */
  FeatureFile extract(Encoders encoders, Modality modality, Path file, String label) throws IOException;

  @Override
  void close();

  /**
   * Makes the run's feature source once its data is open; samples whose files the run knows to be unusable for a
   * modality ({@code badFiles}) are left missing there without being opened again.
   */
  @FunctionalInterface
  interface Factory {
    SampleFeatures create(Settings settings, List<SampleRef> samples, MediaStore media, BadFiles badFiles);
  }
}
