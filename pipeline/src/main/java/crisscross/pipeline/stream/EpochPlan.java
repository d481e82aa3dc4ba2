package crisscross.pipeline.stream;

import crisscross.pipeline.random.EpochOrder;

/**
 * The samples one epoch visits, in order. By default an epoch of {@code epochSize} samples over a dataset of {@code
 * datasetSize} is a sequence of seeded shuffles of the whole dataset, the last one cut short (the paper's "epoch
 * size", Table S10: 220K samples per epoch on the 22K clips of Kinetics-Sound). A method may instead choose the
 * epoch's visits itself ({@link #ofOrder}: XDC's cluster-balanced epochs), repeats allowed.
 *
 * <p>Each visit has a draw key, {@code occurrence * datasetSize + sampleIndex}, where {@code occurrence} counts the
 * sample's earlier visits in the epoch: the seed of the visit's random draws together with (run seed, epoch). It is
 * unique within an epoch, so a sample visited twice in one epoch gets two different sets of views. For the default
 * order the occurrence is the shuffle round, so the keys are those of {@code round * datasetSize + sampleIndex}.
 */
public final class EpochPlan {
  private final long runSeed;
  private final int epoch;
  private final int datasetSize;
  private final long epochSize;
  private final int[] chosenOrder;
  private final long[] chosenKeys;
  private int cachedRound = -1;
  private int[] cachedOrder;

  public EpochPlan(long runSeed, int epoch, int datasetSize, long epochSize) {
    this(runSeed, epoch, datasetSize, epochSize, null);
  }

  private EpochPlan(long runSeed, int epoch, int datasetSize, long epochSize, int[] chosenOrder) {
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
    this.chosenOrder = chosenOrder;
    this.chosenKeys = chosenOrder == null ? null : occurrenceKeys(chosenOrder, datasetSize);
  }

  /**
   * An epoch that visits {@code order} (dataset indices, repeats allowed) in that order.
   *
   * @throws IllegalArgumentException for an empty order or an index outside the dataset
   */
  public static EpochPlan ofOrder(int epoch, int datasetSize, int[] order) {
    if (order.length == 0) {
      throw new IllegalArgumentException("epoch " + epoch + ": the chosen order is empty");
    }
    for (int index : order) {
      if (index < 0 || index >= datasetSize) {
        throw new IllegalArgumentException("epoch " + epoch + ": the chosen order visits sample " + index
            + ", outside the dataset of " + datasetSize);
      }
    }
    return new EpochPlan(0, epoch, datasetSize, order.length, order.clone());
  }

  public long size() {
    return epochSize;
  }

  public int epoch() {
    return epoch;
  }

  /** The dataset index visited at {@code position} (0 ≤ position < size()). */
  public int sampleAt(long position) {
    checkPosition(position);
    if (chosenOrder != null) {
      return chosenOrder[(int) position];
    }
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
    if (chosenKeys != null) {
      checkPosition(position);
      return chosenKeys[(int) position];
    }
    return (position / datasetSize) * (long) datasetSize + sampleAt(position);
  }

  /** Whether both plans visit the same samples with the same draw keys. */
  public boolean sameVisits(EpochPlan other) {
    if (other.epochSize != epochSize || other.datasetSize != datasetSize || other.epoch != epoch) {
      return false;
    }
    for (long p = 0; p < epochSize; p++) {
      if (other.sampleAt(p) != sampleAt(p)) {
        return false;
      }
    }
    return true;
  }

  private static long[] occurrenceKeys(int[] order, int datasetSize) {
    int[] seen = new int[datasetSize];
    long[] keys = new long[order.length];
    for (int p = 0; p < order.length; p++) {
      keys[p] = (long) seen[order[p]]++ * datasetSize + order[p];
    }
    return keys;
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
