package crisscross.evaluation.extract;

import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.source.SampleRef;
import java.util.List;

/** One sample's clips as encoder inputs, or why the sample cannot give them. */
public sealed interface SampleClips {
  SampleRef sample();

  /**
   * The encoder input of every clip, in clip order, each a flat array in the model's layout: video
   * {@code [3][T][S][S]}, audio {@code [1][F][N]}.
   */
  record Clips(SampleRef sample, List<float[]> inputs) implements SampleClips {
    public Clips {
      inputs = List.copyOf(inputs);
    }
  }

  record Skipped(SampleRef sample, SkipReason reason, String detail) implements SampleClips {}
}
