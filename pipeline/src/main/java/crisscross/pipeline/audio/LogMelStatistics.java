package crisscross.pipeline.audio;

/**
 * Mean and (population) standard deviation of log-mel values over a set of spectrograms: the dataset statistics
 * that standardise every view of a run by the same affine map, so that an overall gain (Table S2's volume jitter)
 * still shifts the view the encoder sees.
 *
 * @param mean the mean of every bin of every spectrogram measured
 * @param std their standard deviation, positive
 */
public record LogMelStatistics(double mean, double std) {
  public LogMelStatistics {
    if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
      throw new IllegalArgumentException("log-mel statistics need a finite mean and a positive std: " + mean + ", "
          + std);
    }
  }

  /**
   * Adds spectrograms one at a time. Each spectrogram's own mean and sum of squared deviations (in double) are
   * merged with Chan et al.'s pairwise update, so the result does not lose precision to a large common offset
   * (log-mel values sit around -5) and depends only on the order of the spectrograms.
   */
  public static final class Accumulator {
    private long count;
    private double mean;
    private double squaredDeviations;
    private int spectrograms;

    public Accumulator add(float[] values) {
      if (values.length == 0) {
        throw new IllegalArgumentException("an empty spectrogram");
      }
      double sum = 0;
      for (float v : values) {
        sum += v;
      }
      double ownMean = sum / values.length;
      double ownSquares = 0;
      for (float v : values) {
        ownSquares += (v - ownMean) * (v - ownMean);
      }
      long total = count + values.length;
      double delta = ownMean - mean;
      mean += delta * values.length / total;
      squaredDeviations += ownSquares + delta * delta * ((double) count * values.length / total);
      count = total;
      spectrograms++;
      return this;
    }

    public int spectrograms() {
      return spectrograms;
    }

    /** The statistics of what was added; refused when nothing was, or when every value was the same. */
    public LogMelStatistics result() {
      if (spectrograms == 0) {
        throw new IllegalStateException("no spectrogram was measured");
      }
      double std = Math.sqrt(squaredDeviations / count);
      if (!(std > 1e-6)) {
        throw new IllegalStateException("the " + spectrograms + " spectrograms measured hold one value only ("
            + mean + "): digital silence has no scale to standardise by");
      }
      return new LogMelStatistics(mean, std);
    }
  }
}
