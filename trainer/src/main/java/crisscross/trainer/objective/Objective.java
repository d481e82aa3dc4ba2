package crisscross.trainer.objective;

import crisscross.trainer.model.Modality;
import crisscross.trainer.model.View;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A self-supervised objective: which modalities it needs and the loss graph it builds on the per-view heads.
 * Implementations are chosen by name through {@link Objectives#byName}; one training step serves them all.
 */
public interface Objective {
  /** Projector output z and predictor output p of one view, [B, d] each. */
  record Heads(SDVariable z, SDVariable p) {}

  /** The loss graph: named terms (reported every step) and the total that is differentiated. */
  record LossGraph(Map<String, SDVariable> terms, SDVariable total) {}

  /** Configuration name (Table 1's row label, e.g. {@code sync+async}). */
  String name();

  /** Modalities whose encoders the objective trains; unimodal objectives build only one. */
  Set<Modality> modalities();

  /**
   * Labels of the terms {@link #define} reports besides {@code total}, in a stable order, known before any
   * graph is built (metrics and checkpoints name them).
   */
  java.util.List<String> termLabels();

  /** Adds the loss to {@code sd}; {@code heads} holds every view of {@link #modalities()}. */
  LossGraph define(SameDiff sd, Map<View, Heads> heads);
}
