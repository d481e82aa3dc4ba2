package crisscross.trainer.method;

import crisscross.pipeline.sample.ClipCounts;
import crisscross.pipeline.sample.ClipTiming;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.model.Encoders;
import crisscross.trainer.model.HeadGraph;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.View;
import crisscross.trainer.optim.ParameterGroup;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A self-supervised method on the shared training core: the views it trains on, its heads and loss, the optimiser
 * groups of every parameter, hooks around epochs and steps, and state of its own that checkpoints carry. The
 * generic {@link crisscross.trainer.step.TrainingStep} runs any method: backbones over {@link #views()}, the
 * method's {@link #heads} and loss, backward, gradients combined, the optimiser over {@link #group} rates.
 *
 * <p>A method lives in its own package under {@code crisscross.trainer.method}, reads its options from its own
 * configuration block ({@code config/methods/<name>.conf}) and is listed once in {@link Methods}. Not
 * thread-safe: one trainer drives it.
 */
public interface Method {
  /** Registry name: the value of the {@code method} key ({@code crisscross}, {@code xdc}, ...). */
  String name();

  /** The configured variant, as checkpoints and reports name it (CrissCross: Table 1's row, {@code sync+async}). */
  String variant();

  /** The views the method trains on, in build order; the pipeline must produce every one. */
  List<View> views();

  /** Clips per modality the pipeline must cut for this method: up to the highest clip of each it declares. */
  default ClipCounts clips() {
    int video = 0;
    int audio = 0;
    for (View view : views()) {
      if (view.modality() == Modality.VIDEO) {
        video = Math.max(video, view.clip());
      } else {
        audio = Math.max(audio, view.clip());
      }
    }
    return new ClipCounts(video, audio);
  }

  /** Heads on the backbones' pooled features and the loss over all views. */
  HeadGraph heads(ModelSettings model);

  /** Labels of the loss terms reported besides {@code total}, in a stable order, known before any graph exists. */
  List<String> termLabels();

  /** The optimiser group of a parameter, by its PyTorch name ({@code video_backbone.*}, heads by their names). */
  ParameterGroup group(String parameterName);

  /** Every group the method's parameters fall into, in reporting order. */
  List<ParameterGroup> groups();

  /** Called before the first step of each epoch (0-based), also after a resume into the middle of one. */
  default void beforeEpoch(EpochStart start) {}

  /**
   * Whether the method chooses which samples each epoch visits ({@link #epochOrder}) instead of the run's seeded
   * shuffle; the pipeline then waits for each epoch's order. A constant of the method's settings.
   */
  default boolean choosesEpochOrder() {
    return false;
  }

  /**
   * The dataset indices epoch {@code epoch} visits, {@code epochSize} of them, repeats allowed; called after
   * {@link #beforeEpoch} for that epoch. Must follow from the method's state and the run seed alone, so a resumed
   * run visits the same samples.
   */
  default int[] epochOrder(int epoch, long epochSize) {
    throw new UnsupportedOperationException(name() + " does not choose its epochs' samples");
  }

  /**
   * Values of the placeholders the heads added ({@link crisscross.trainer.model.TrainingGraph#extraInputs()}) for
   * the batch of these samples (indices into the dataset), e.g. their pseudo-labels.
   */
  default Map<String, INDArray> stepInputs(int[] sampleIndices) {
    return Map.of();
  }

  /**
   * As {@link #stepInputs(int[])}, for a method that also needs the clips' timings (the temporal pretext labels)
   * or the step; by default the sample indices alone decide.
   */
  default Map<String, INDArray> stepInputs(StepBatch batch) {
    return stepInputs(batch.sampleIndices());
  }

  /** Per-view outputs {@link #afterStep} needs ({@code h}, or a head's output name). */
  default Set<String> stepOutputs() {
    return Set.of();
  }

  /** Called after each optimiser step with the requested outputs of the batch (e.g. to fill a feature queue). */
  default void afterStep(StepDone done) {}

  /**
   * The method's own health signals for operators, by metric-safe name ({@code xdc_round}, ...): published on
   * {@code /metrics} as {@code crisscross_method_diagnostic{name=...}} and on {@code /status} after every step.
   */
  default Map<String, Double> diagnostics() {
    return Map.of();
  }

  /** The method's own state (queues, cluster assignments), copied out; empty for stateless methods. */
  default List<TensorBlob> state() {
    return List.of();
  }

  /** Replaces the method's state with what {@link #state()} gave; the next step continues bit-identically. */
  default void restore(List<TensorBlob> state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException("method " + name() + " keeps no state, but the checkpoint holds "
          + state.size() + " method tensors (" + state.get(0).name() + ", ...)");
    }
  }

  /**
   * The start of an epoch.
   *
   * @param backbones the encoders at their current weights (live; do not close)
   * @param modules re-initialises a module of the method's heads (after a re-clustering permutes the labels)
   */
  record EpochStart(int epoch, Encoders backbones, ModuleReset modules) {}

  /** Draws new initial weights for a module, as at creation but from another random stream, and clears its moments. */
  @FunctionalInterface
  interface ModuleReset {
    /** @param module a parameter-name prefix ({@code xdc_video_head_audio}) */
    void reinitialise(String module, crisscross.pipeline.random.SampleRandom random);
  }

  /**
   * What a step trains on besides the clips.
   *
   * @param step steps completed before this one (0 for the first): a seed for draws of the method's own
   * @param sampleIndices dataset indices of the batch's samples
   * @param videoTimings per video clip (v1, v2, ...), every sample's timing in batch order; empty when unknown
   * @param audioTimings the same for the audio clips
   */
  record StepBatch(long step, int[] sampleIndices, List<ClipTiming[]> videoTimings,
      List<ClipTiming[]> audioTimings) {
    public StepBatch {
      videoTimings = List.copyOf(videoTimings);
      audioTimings = List.copyOf(audioTimings);
    }

    /** The timings of {@code view}'s clip for every sample. */
    public ClipTiming[] timings(View view) {
      List<ClipTiming[]> of = view.modality() == Modality.VIDEO ? videoTimings : audioTimings;
      if (view.clip() > of.size()) {
        throw new IllegalStateException("the batch carries no timing of clip " + view.key() + " (" + of.size()
            + " " + view.modality().prefix() + " clips timed): the method needs the pipeline's clip timings");
      }
      return of.get(view.clip() - 1);
    }
  }

  /**
   * One finished step.
   *
   * @param step steps completed, this one included
   * @param sampleIndices dataset indices of the batch's samples
   * @param outputs the {@link #stepOutputs()} of every view, by output name and view key ({@code hv1}); freed
   *     when the hook returns, so copy what is kept
   */
  record StepDone(long step, int[] sampleIndices, Map<String, INDArray> outputs) {}
}
