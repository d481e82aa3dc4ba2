package crisscross.pipeline.synth;

/**
 * What {@link SyntheticCorpus} generates.
 *
 * @param clips number of clips, spread evenly over the classes
 * @param classes number of classes (each a shape, colour, motion, pitch, rhythm and timbre)
 * @param seconds length of each clip
 * @param seed seed of every nuisance draw; the same settings give the same corpus
 * @param width frame width in pixels (even)
 * @param height frame height in pixels (even)
 * @param fps frames per second of the clips
 * @param sampleRate audio samples per second of the clips (AAC, mono)
 * @param testFraction share of each class put in the test split
 * @param threads clips generated in parallel; 0 = one per available core
 */
public record SynthSettings(int clips, int classes, double seconds, long seed, int width, int height, int fps,
    int sampleRate, double testFraction, int threads) {
  /** Most classes: their pitches stay at least a semitone apart within the three octaves used. */
  public static final int MAX_CLASSES = 36;

  public SynthSettings {
    if (classes < 2 || classes > MAX_CLASSES) {
      throw new IllegalArgumentException("classes must be in [2, " + MAX_CLASSES + "]: " + classes);
    }
    if (clips < classes || clips > 1_000_000) {
      throw new IllegalArgumentException("clips must be at least the number of classes (" + classes
          + ") and at most 1000000: " + clips);
    }
    if (!(seconds >= 0.5 && seconds <= 600)) {
      throw new IllegalArgumentException("seconds must be in [0.5, 600]: " + seconds);
    }
    if (width < 16 || height < 16 || width > 1920 || height > 1920 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("width and height must be even and in [16, 1920]: " + width + "x"
          + height);
    }
    if (fps < 1 || fps > 120) {
      throw new IllegalArgumentException("fps must be in [1, 120]: " + fps);
    }
    if (sampleRate < 8000 || sampleRate > 96_000) {
      throw new IllegalArgumentException("sampleRate must be in [8000, 96000]: " + sampleRate);
    }
    if (!(testFraction >= 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction must be in [0, 1): " + testFraction);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0: " + threads);
    }
  }

  /**
   * The demo corpus: 240 clips of 4 s in 6 classes, 128x96 at 24 fps with 16 kHz audio, 80/20 train/test. Enough
   * for the tiny model to learn in minutes on two cores, and generated in well under a minute.
   */
  public static SynthSettings defaults() {
    return new SynthSettings(240, 6, 4.0, 7, 128, 96, 24, 16_000, 0.2, 0);
  }

  public SynthSettings withClips(int count, int classCount) {
    return new SynthSettings(count, classCount, seconds, seed, width, height, fps, sampleRate, testFraction, threads);
  }

  public SynthSettings withSeconds(double value) {
    return new SynthSettings(clips, classes, value, seed, width, height, fps, sampleRate, testFraction, threads);
  }

  public SynthSettings withSeed(long value) {
    return new SynthSettings(clips, classes, seconds, value, width, height, fps, sampleRate, testFraction, threads);
  }

  public SynthSettings withPicture(int w, int h, int framesPerSecond) {
    return new SynthSettings(clips, classes, seconds, seed, w, h, framesPerSecond, sampleRate, testFraction,
        threads);
  }

  public SynthSettings withThreads(int value) {
    return new SynthSettings(clips, classes, seconds, seed, width, height, fps, sampleRate, testFraction, value);
  }

  /** Worker threads actually used. */
  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
