package crisscross.trainer.method.crisscross;

import java.util.List;

/**
 * The loss groups of §3, each the mean of its pair terms: L_intra (Eq. 2), L_sync (Eq. 3), L_async (Eq. 4), and
 * the single-pair groups used by Table 1's unimodal rows.
 */
public enum LossGroup {
  INTRA("L_intra", List.of(PairTerm.V1V2, PairTerm.A1A2)),
  SYNC("L_sync", List.of(PairTerm.V1A1, PairTerm.V2A2)),
  ASYNC("L_async", List.of(PairTerm.V1A2, PairTerm.A1V2)),
  V1V2("L_v1v2", List.of(PairTerm.V1V2)),
  A1A2("L_a1a2", List.of(PairTerm.A1A2));

  private final String label;
  private final List<PairTerm> terms;

  LossGroup(String label, List<PairTerm> terms) {
    this.label = label;
    this.terms = terms;
  }

  public String label() {
    return label;
  }

  public List<PairTerm> terms() {
    return terms;
  }
}
