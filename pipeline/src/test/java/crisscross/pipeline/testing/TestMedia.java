package crisscross.pipeline.testing;

import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.synth.MediaWriter;
import crisscross.pipeline.synth.MediaWriter.Container;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small media files with known content for tests anywhere in the project, written with real FFmpeg encoders.
 *
 * <p>Video: each frame shows its own number as black and white cells (8 columns x 6 rows; cells 0-15 the number's
 * bits, cells 16-31 their complement, the bottom two rows painted {@link #colourOf(int)}), or, with
 * {@link Picture#SOLID_COLOUR}, is filled with {@link #colourOf(int)}. {@link #frameNumber} reads the number back
 * from a decoded frame of any size. Audio: a {@link Tone} whose pitch steps up every second, phase-continuous, so
 * {@link Tone#sampleAt} gives the expected waveform at any time and a misaligned decode is easy to see.
 *
 * <pre>{@code
 * Path clip = TestMedia.video(64, 48, 25).seconds(3).writeTo(dir.resolve("a.mp4"));
 * Path song = TestMedia.audio(Container.WAV).seconds(2).sampleRate(44_100).writeTo(dir.resolve("a.wav"));
 * TestMedia.truncate(clip, 0.5);
 * }</pre>
 */
public final class TestMedia {
  /** Cells across and down the frame-number pattern. */
  public static final int COLUMNS = 8;
  public static final int ROWS = 6;
  private static final int BITS = 16;

  /** What the frames show. */
  public enum Picture {
    /** The frame number as black and white cells, plus a strip of the frame's colour. */
    FRAME_NUMBER,
    /** The whole frame in the frame's colour. */
    SOLID_COLOUR
  }

  private TestMedia() {}

  /** A video (H.264 + AAC tone in MP4 by default) of the given size and frame rate. */
  public static Builder video(int width, int height, double fps) {
    return new Builder(Container.MP4, width, height, fps);
  }

  /** An audio-only file (a {@link Tone}) in the given container. */
  public static Builder audio(Container container) {
    return new Builder(container, 0, 0, 0);
  }

  /**
   * The known colour of frame {@code frame}, RGB in [0.15, 0.85] (kept away from the ends so that the limited
   * range of video and encoder rounding never clip it).
   */
  public static float[] colourOf(int frame) {
    return new float[] {
      (float) (0.15 + 0.7 * fraction(frame * 0.377 + 0.1)),
      (float) (0.15 + 0.7 * fraction(frame * 0.613 + 0.4)),
      (float) (0.15 + 0.7 * fraction(frame * 0.139 + 0.7))};
  }

  private static double fraction(double x) {
    return x - Math.floor(x);
  }

  /**
   * Reads the number drawn by {@link Picture#FRAME_NUMBER} in frame {@code frame} of decoded video (any size), or
   * -1 if the cells do not hold a valid number (its complement does not match).
   */
  public static int frameNumber(VideoFrames video, int frame) {
    int number = 0;
    for (int bit = 0; bit < BITS; bit++) {
      boolean one = cellIsWhite(video, frame, bit);
      boolean complement = cellIsWhite(video, frame, bit + BITS);
      if (one == complement) {
        return -1;
      }
      if (one) {
        number |= 1 << bit;
      }
    }
    return number;
  }

  private static boolean cellIsWhite(VideoFrames video, int frame, int cell) {
    int column = cell % COLUMNS;
    int row = cell / COLUMNS;
    int x = (int) ((column + 0.5) * video.width() / COLUMNS);
    int y = (int) ((row + 0.5) * video.height() / ROWS);
    int i = video.index(frame, y, x, 0);
    float[] rgb = video.rgb();
    return (rgb[i] + rgb[i + 1] + rgb[i + 2]) / 3 > 0.5f;
  }

  /** Mean RGB of frame {@code frame} over its bottom two cell rows (the colour strip) or the whole frame. */
  public static float[] meanColour(VideoFrames video, int frame, Picture picture) {
    int firstRow = picture == Picture.FRAME_NUMBER ? (int) Math.ceil(video.height() * 4.0 / ROWS) + 1 : 0;
    double[] sum = new double[3];
    int n = 0;
    for (int y = firstRow; y < video.height(); y++) {
      for (int x = 0; x < video.width(); x++) {
        for (int c = 0; c < 3; c++) {
          sum[c] += video.rgb()[video.index(frame, y, x, c)];
        }
        n++;
      }
    }
    return new float[] {(float) (sum[0] / n), (float) (sum[1] / n), (float) (sum[2] / n)};
  }

  /**
   * A sine whose frequency is {@code baseHz + stepHz * s} during second {@code s} (0, 1, 2...), with continuous
   * phase.
   */
  public record Tone(double baseHz, double stepHz, double amplitude) {
    /** 300 Hz, then 500, 700, ...: well inside the band of every codec and of 16 kHz audio. */
    public static final Tone STEPS = new Tone(300, 200, 0.5);

    public double frequencyAt(double seconds) {
      return baseHz + stepHz * Math.floor(seconds);
    }

    /** The waveform at {@code seconds} from the start of the file. */
    public double sampleAt(double seconds) {
      int whole = (int) Math.floor(seconds);
      // Cycles completed in the whole seconds before: sum of baseHz + stepHz * s for s < whole.
      double cycles = baseHz * whole + stepHz * whole * (whole - 1) / 2.0;
      cycles += frequencyAt(seconds) * (seconds - whole);
      return amplitude * Math.sin(2 * Math.PI * fraction(cycles));
    }

    /**
     * Normalised correlation of decoded samples with the tone, assuming {@code samples[j]} is the sound at
     * {@code startSeconds + j / rate}: near 1 when aligned, near 0 when off by a quarter period or more.
     */
    public double correlation(float[] samples, double startSeconds, int rate) {
      double dot = 0;
      double expectedEnergy = 0;
      double actualEnergy = 0;
      for (int j = 0; j < samples.length; j++) {
        double expected = sampleAt(startSeconds + j / (double) rate);
        dot += expected * samples[j];
        expectedEnergy += expected * expected;
        actualEnergy += samples[j] * (double) samples[j];
      }
      return dot / Math.sqrt(expectedEnergy * actualEnergy + 1e-30);
    }
  }

  /** Options of a file to write; every option has a small default. */
  public static final class Builder {
    private Container container;
    private final int width;
    private final int height;
    private final double fps;
    private double seconds = 2;
    private Picture picture = Picture.FRAME_NUMBER;
    private int sampleRate = 44_100;
    private int channels = 1;
    private Tone tone = Tone.STEPS;
    private int keyframeInterval = 12;
    private boolean moovFirst;

    private Builder(Container container, int width, int height, double fps) {
      this.container = container;
      this.width = width;
      this.height = height;
      this.fps = fps;
    }

    /** Length of the file; video gets {@code round(seconds * fps)} frames. */
    public Builder seconds(double value) {
      this.seconds = value;
      return this;
    }

    public Builder picture(Picture value) {
      this.picture = value;
      return this;
    }

    public Builder sampleRate(int value) {
      this.sampleRate = value;
      return this;
    }

    /** Audio channels; each carries the same tone. */
    public Builder channels(int value) {
      this.channels = value;
      return this;
    }

    /** A video without an audio stream. */
    public Builder noAudio() {
      this.channels = 0;
      return this;
    }

    public Builder tone(Tone value) {
      this.tone = value;
      return this;
    }

    /** The container of a video: MP4 (the default) or MKV. */
    public Builder container(Container value) {
      if (width > 0 && !value.holdsVideo()) {
        throw new IllegalArgumentException(value + " cannot hold video");
      }
      this.container = value;
      return this;
    }

    public Builder keyframeInterval(int frames) {
      this.keyframeInterval = frames;
      return this;
    }

    /** MP4 with its index first, so that a truncated copy still opens (see {@link #truncate}). */
    public Builder moovFirst() {
      this.moovFirst = true;
      return this;
    }

    public Path writeTo(Path file) {
      MediaWriter.Spec spec = new MediaWriter.Spec(container, width, height, fps, keyframeInterval, 1_000_000,
          sampleRate, channels, 128_000, moovFirst);
      try (MediaWriter writer = MediaWriter.open(file, spec)) {
        if (spec.hasVideo()) {
          writeVideo(writer);
        } else {
          long total = Math.round(seconds * sampleRate);
          for (long done = 0; done < total; done += 1024) {
            writeTone(writer, done, (int) Math.min(1024, total - done));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return file;
    }

    private void writeVideo(MediaWriter writer) throws IOException {
      int frames = (int) Math.round(seconds * fps);
      byte[] rgb = new byte[width * height * 3];
      long samplesDone = 0;
      for (int k = 0; k < frames; k++) {
        draw(k, rgb);
        writer.writeFrame(rgb);
        if (channels > 0) {
          long until = Math.round((k + 1) / fps * sampleRate);
          writeTone(writer, samplesDone, (int) (until - samplesDone));
          samplesDone = until;
        }
      }
    }

    private void writeTone(MediaWriter writer, long first, int count) throws IOException {
      float[] interleaved = new float[count * channels];
      for (int j = 0; j < count; j++) {
        float value = (float) tone.sampleAt((first + j) / (double) sampleRate);
        for (int c = 0; c < channels; c++) {
          interleaved[j * channels + c] = value;
        }
      }
      writer.writeAudio(interleaved, count);
    }

    private void draw(int frame, byte[] rgb) {
      float[] colour = colourOf(frame);
      for (int y = 0; y < height; y++) {
        int row = y * ROWS / height;
        for (int x = 0; x < width; x++) {
          int cell = row * COLUMNS + x * COLUMNS / width;
          int i = (y * width + x) * 3;
          if (picture == Picture.SOLID_COLOUR || cell >= 2 * BITS) {
            for (int c = 0; c < 3; c++) {
              rgb[i + c] = (byte) Math.round(colour[c] * 255);
            }
          } else {
            boolean bit = ((frame >> (cell % BITS)) & 1) == 1;
            boolean white = cell < BITS ? bit : !bit;
            byte v = (byte) (white ? 255 : 0);
            rgb[i] = v;
            rgb[i + 1] = v;
            rgb[i + 2] = v;
          }
        }
      }
    }
  }

  /** Cuts {@code file} to the first {@code keepFraction} of its bytes, as an interrupted download does. */
  public static Path truncate(Path file, double keepFraction) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength((long) (raf.length() * keepFraction));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Overwrites the bytes between the two fractions of {@code file}'s length with random bytes. */
  public static Path corrupt(Path file, double fromFraction, double toFraction, long seed) {
    SampleRandom random = SampleRandom.of(seed);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long from = (long) (raf.length() * fromFraction);
      byte[] noise = new byte[(int) ((long) (raf.length() * toFraction) - from)];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (byte) random.nextLong();
      }
      raf.seek(from);
      raf.write(noise);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A file of {@code bytes} random bytes: not media at all, whatever its name says. */
  public static Path garbage(Path file, int bytes, long seed) {
    SampleRandom random = SampleRandom.of(seed);
    byte[] data = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      data[i] = (byte) random.nextLong();
    }
    try {
      return Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
