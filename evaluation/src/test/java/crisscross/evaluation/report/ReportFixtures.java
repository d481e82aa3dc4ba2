package crisscross.evaluation.report;

import crisscross.evaluation.linear.CostScore;
import crisscross.evaluation.linear.LinearResult;
import crisscross.evaluation.linear.ProbeSettings;
import crisscross.evaluation.retrieval.Neighbour;
import crisscross.evaluation.retrieval.Query;
import crisscross.evaluation.retrieval.RetrievalResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Results with known numbers for the report and figure tests. */
final class ReportFixtures {
  static final List<String> CLASSES = List.of("playing bagpipes", "playing drums", "a rather long class name that "
      + "will not fit the label margin");

  private ReportFixtures() {}

  static LinearResult linear(double top1, double chosen, double bestOnTest, double bestCost) {
    List<CostScore> sweep = new ArrayList<>();
    double[] costs = {1e-5, 1e-3, 5e-3, 1.0};
    double[] cv = {0.40, 0.70, 0.68, 0.55};
    double[] test = {0.38, top1, bestOnTest, 0.50};
    for (int i = 0; i < costs.length; i++) {
      double c = costs[i];
      double testTop1 = c == chosen ? top1 : c == bestCost ? bestOnTest : test[i];
      sweep.add(new CostScore(c, new double[] {cv[i] - 0.05, cv[i] + 0.05}, cv[i], 0.05, OptionalDouble.of(testTop1)));
    }
    int[][] confusion = {{8, 1, 1}, {2, 7, 1}, {0, 3, 7}};
    return new LinearResult(top1, top1 - 0.05, chosen, sweep, OptionalDouble.of(bestOnTest),
        OptionalDouble.of(bestCost), CLASSES, confusion, List.of("s1", "s2"), new int[] {0, 1}, new int[] {0, 0},
        120, 3000, 30, 300, 5, ProbeSettings.Preprocessing.STANDARDIZE);
  }

  static RetrievalResult retrieval(double r1, double r5, double r20) {
    Query query = new Query(0, "q", 0, List.of(new Neighbour(3, "n3", 0, 0.9), new Neighbour(1, "n1", 1, 0.8)));
    return new RetrievalResult(Map.of(1, r1, 5, r5, 20, r20), List.of(query), CLASSES, 3783, 9537);
  }
}
