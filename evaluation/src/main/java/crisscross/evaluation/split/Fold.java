package crisscross.evaluation.split;

/**
 * One fold of a k-fold split: item indices (ascending) used for fitting and for scoring.
 *
 * @param index the fold's number, 0-based
 */
public record Fold(int index, int[] train, int[] test) {
  public Fold {
    train = train.clone();
    test = test.clone();
  }

  @Override
  public int[] train() {
    return train.clone();
  }

  @Override
  public int[] test() {
    return test.clone();
  }

  @Override
  public String toString() {
    return "Fold[" + index + ": " + train.length + " train, " + test.length + " test]";
  }
}
