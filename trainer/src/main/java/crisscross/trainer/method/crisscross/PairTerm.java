package crisscross.trainer.method.crisscross;

import crisscross.trainer.model.View;

/**
 * A symmetrised pair term of §3: L_xy = (D(p_x, S(z_y)) + D(p_y, S(z_x))) / 2. The six of them (named as in the
 * reference: Lv1v2, La1a2, Lv1a1, Lv2a2, Lv1a2, La1v2) make up every loss of Table 1.
 */
public enum PairTerm {
  V1V2("Lv1v2", View.V1, View.V2),
  A1A2("La1a2", View.A1, View.A2),
  V1A1("Lv1a1", View.V1, View.A1),
  V2A2("Lv2a2", View.V2, View.A2),
  V1A2("Lv1a2", View.V1, View.A2),
  A1V2("La1v2", View.A1, View.V2);

  private final String label;
  private final View first;
  private final View second;

  PairTerm(String label, View first, View second) {
    this.label = label;
    this.first = first;
    this.second = second;
  }

  public String label() {
    return label;
  }

  public View first() {
    return first;
  }

  public View second() {
    return second;
  }
}
