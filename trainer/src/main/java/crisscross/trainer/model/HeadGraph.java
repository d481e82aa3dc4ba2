package crisscross.trainer.model;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * What a self-supervised method adds to the training graph above the backbones: its heads on every view's pooled
 * features and its loss over all views. {@link TrainingGraph} builds each view's backbone and at once calls
 * {@link #view}, then {@link #loss}; weights are shared by name ({@link GraphBuilder}), so heads built under one
 * name for several views are one module.
 */
public interface HeadGraph {
  /**
   * The heads of one view.
   *
   * @param features the backbone's pooled representation [B, width]
   * @return named outputs of the view (e.g. {@code z}, {@code p}), which {@link #loss} receives and a caller may
   *     ask {@link TrainingGraph#forwardBackward} for
   */
  Map<String, SDVariable> view(GraphBuilder g, View view, SDVariable features, int width);

  /**
   * The loss over every view's outputs. It may add placeholders of its own (pseudo-labels, queue contents); their
   * values are passed to {@link TrainingGraph#forwardBackward} under the same names.
   */
  LossGraph loss(GraphBuilder g, Map<View, Map<String, SDVariable>> views);

  /** Named loss terms, reported every step, and the differentiated total (also reported, as {@code total}). */
  record LossGraph(Map<String, SDVariable> terms, SDVariable total) {
    public LossGraph {
      terms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(terms));
    }
  }

  /** Names of the per-view outputs whose collapse indicator is reported (SimSiam: {@code z}). */
  default List<String> monitoredOutputs() {
    return List.of();
  }
}
