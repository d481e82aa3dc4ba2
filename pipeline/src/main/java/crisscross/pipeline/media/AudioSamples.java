package crisscross.pipeline.media;

/**
 * Mono audio as floats in [-1, 1].
 *
 * @param startSeconds time of the first sample from the start of the file
 */
public record AudioSamples(float[] samples, int sampleRate, double startSeconds) {
  public double durationSeconds() {
    return samples.length / (double) sampleRate;
  }

  /** Samples {@code from} (inclusive) to {@code to} (exclusive), copied. */
  public AudioSamples slice(int from, int to) {
    if (from < 0 || to > samples.length || from > to) {
      throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + samples.length + " samples");
    }
    float[] data = new float[to - from];
    System.arraycopy(samples, from, data, 0, data.length);
    return new AudioSamples(data, sampleRate, startSeconds + from / (double) sampleRate);
  }
}
