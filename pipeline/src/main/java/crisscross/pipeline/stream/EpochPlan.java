package crisscross.pipeline.stream;

import crisscross.pipeline.random.EpochOrder;

/**
 * The samples one epoch visits, in order. An epoch of {@code epochSize} samples over a dataset of {@code
 * datasetSize} is a sequence of seeded shuffles of the whole dataset, the last one cut short (the paper's "epoch
 * size", Table S10: 220K samples per epoch on the 22K clips of Kinetics-Sound).
 *
 * <p>Each visit has a draw key, {@code round * datasetSize + sampleIndex}: the seed of the visit's random draws
 * together with (run seed, epoch). It is unique within an epoch, so a sample visited twice in one epoch gets two
 * different pairs of views.
 */
public final class EpochPlan {
  private final long runSeed;
  private final int epoch;
  private final int datasetSize;
  private final long epochSize;
  private int cachedRound = -1;
  private int[] cachedOrder;

  public EpochPlan(long runSeed, int epoch, int datasetSize, long epochSize) {
    if (datasetSize <= 0) {
      throw new IllegalArgumentException("the dataset is empty");
    }
    if (epochSize <= 0) {
      throw new IllegalArgumentException("epoch size must be positive");
    }
    this.runSeed = runSeed;
    this.epoch = epoch;
    this.datasetSize = datasetSize;
    this.epochSize = epochSize;
  }

  public long size() {
    return epochSize;
  }

  /** The dataset index visited at {@code position} (0 ≤ position < size()). */
  public int sampleAt(long position) {
    checkPosition(position);
    int round = (int) (position / datasetSize);
    if (round != cachedRound) {
      // Round 0 is the epoch's own shuffle; later rounds reshuffle with their own seeds.
      cachedOrder = EpochOrder.of(runSeed, round == 0 ? epoch : mixRound(epoch, round), datasetSize);
      cachedRound = round;
    }
    return cachedOrder[(int) (position % datasetSize)];
  }

  /** The seed key of the visit at {@code position}: unique within the epoch. */
  public long drawKey(long position) {
    return (position / datasetSize) * (long) datasetSize + sampleAt(position);
  }

  private void checkPosition(long position) {
    if (position < 0 || position >= epochSize) {
      throw new IndexOutOfBoundsException("position " + position + " outside epoch of " + epochSize);
    }
  }

  private static long mixRound(int epoch, int round) {
    return ((long) round << 32) ^ (epoch & 0xFFFFFFFFL) ^ 0x5A5A_0000_0000_0000L;
  }
}
