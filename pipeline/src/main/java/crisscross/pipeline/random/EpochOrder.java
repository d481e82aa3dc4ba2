package crisscross.pipeline.random;

/** The order in which an epoch visits the dataset: a seeded shuffle of the sample indices. */
public final class EpochOrder {
  private EpochOrder() {}

  /** A permutation of {@code 0..size-1}, a function of (run seed, epoch) only. */
  public static int[] of(long runSeed, long epoch, int size) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    SampleRandom.forSample(runSeed, epoch, -1).fork("epoch-order").shuffle(order);
    return order;
  }
}
