package crisscross.trainer.step;

import crisscross.trainer.model.Modality;
import crisscross.trainer.optim.ParameterGroup;
import java.util.Map;

/**
 * What one training step reports.
 *
 * @param step steps completed, this one included (1 after the first step)
 * @param terms every loss term of the objective by label ({@code Lv1v2}, ..., {@code L_sync}, {@code total})
 * @param total the differentiated loss
 * @param collapse SimSiam's collapse indicator averaged over the views (~1/sqrt(d) healthy, 0 collapsed)
 * @param collapseByModality the indicator per modality (mean of its two views)
 * @param learningRates the LR each parameter group used in this step
 */
public record StepResult(long step, Map<String, Double> terms, double total, double collapse,
    Map<Modality, Double> collapseByModality, Map<ParameterGroup, Double> learningRates) {
  public StepResult {
    terms = Map.copyOf(terms);
    collapseByModality = Map.copyOf(collapseByModality);
    learningRates = Map.copyOf(learningRates);
  }
}
