package crisscross.pipeline.random;

/**
 * A small, explicitly specified generator (SplitMix64) so that streams are identical across JDK versions and
 * machines. Seed it with {@link #forSample}; derive independent sub-streams with {@link #fork(String)} so that
 * adding a draw to one augmentation never shifts the draws of another.
 *
 * <p>Not thread-safe: one instance per sample and purpose.
 */
public final class SampleRandom {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private long state;

  private SampleRandom(long seed) {
    this.state = seed;
  }

  public static SampleRandom of(long seed) {
    return new SampleRandom(mix64(seed));
  }

  /** The generator of one sample in one epoch of a run. */
  public static SampleRandom forSample(long runSeed, long epoch, long sampleIndex) {
    long h = mix64(runSeed ^ 0x5DEECE66DL);
    h = mix64(h + GOLDEN_GAMMA * (epoch + 1));
    h = mix64(h + GOLDEN_GAMMA * (sampleIndex + 1) * 31);
    return new SampleRandom(h);
  }

  /** An independent generator for a named purpose ("view1.video", "view2.audio", ...), derived from this one. */
  public SampleRandom fork(String purpose) {
    long h = state;
    for (int i = 0; i < purpose.length(); i++) {
      h = mix64(h ^ purpose.charAt(i) * 0x100000001B3L);
    }
    return new SampleRandom(mix64(h ^ 0xC2B2AE3D27D4EB4FL));
  }

  /** An independent generator for an indexed purpose (frame number, clip number, ...). */
  public SampleRandom fork(long index) {
    return new SampleRandom(mix64(state ^ mix64(index * GOLDEN_GAMMA + 0x632BE59BD9B4E019L)));
  }

  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix64(state);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [low, high). */
  public double uniform(double low, double high) {
    return low + (high - low) * nextDouble();
  }

  /** Uniform integer in [0, bound). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    long r = nextLong() >>> 1;
    long m = bound - 1L;
    if ((bound & m) == 0) {
      return (int) (r & m);
    }
    long u = r;
    for (long v = u % bound; u - v + m < 0; u = nextLong() >>> 1, v = u % bound) {
      r = v;
    }
    return (int) (u % bound);
  }

  /** Uniform integer in [low, high] (both inclusive). */
  public int intBetween(int low, int high) {
    if (high < low) {
      throw new IllegalArgumentException("empty range [" + low + ", " + high + "]");
    }
    return low + nextInt(high - low + 1);
  }

  public boolean bernoulli(double probability) {
    return nextDouble() < probability;
  }

  /** Standard normal draw (Box-Muller, one value per two uniforms; no cached state). */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble();
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** In-place Fisher-Yates shuffle. */
  public void shuffle(int[] values) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }

  /** Snapshot of the internal state (for checkpoints). */
  public long state() {
    return state;
  }

  public static SampleRandom restore(long state) {
    return new SampleRandom(state);
  }

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
