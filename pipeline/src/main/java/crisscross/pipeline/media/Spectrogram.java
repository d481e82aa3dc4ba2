package crisscross.pipeline.media;

/** A (log-)mel spectrogram, row-major {@code [band][frame]}, band 0 the lowest frequency. */
public record Spectrogram(int bands, int frames, float[] values) {
  public Spectrogram {
    if (values.length != (long) bands * frames) {
      throw new IllegalArgumentException("values has " + values.length + ", expected " + bands + "x" + frames);
    }
  }

  public float get(int band, int frame) {
    return values[band * frames + frame];
  }
}
