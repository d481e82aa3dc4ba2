package crisscross.evaluation;

import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.synth.MediaWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The easiest labelled videos there are: every frame of a class-{@code k} clip is one colour of the class's own hue
 * (brightness and a little noise vary from clip to clip), with a tone of the class's own pitch; a manifest lists
 * them with their split. For tests where learning must visibly happen in a few steps.
 */
public final class ColourClips {
  private ColourClips() {}

  /**
   * Writes {@code perClass} clips of {@code seconds} for each of {@code classes} classes (32x32 at 16 fps, 16 kHz
   * audio), the last {@code testPerClass} of each class in the test split, and {@code manifest.csv}.
   */
  public static Path write(Path dir, int classes, int perClass, int testPerClass, double seconds)
      throws IOException {
    Files.createDirectories(dir);
    StringBuilder manifest = new StringBuilder("path,label,split\n");
    for (int c = 0; c < classes; c++) {
      for (int i = 0; i < perClass; i++) {
        String name = "class" + c + "/clip" + i + ".mp4";
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        write(file, c, classes, SampleRandom.of(c * 1000L + i), seconds);
        manifest.append(name).append(",class").append(c).append(',')
            .append(i >= perClass - testPerClass ? "test" : "train").append('\n');
      }
    }
    Files.writeString(dir.resolve("manifest.csv"), manifest.toString(), StandardCharsets.UTF_8);
    return dir;
  }

  private static void write(Path file, int label, int classes, SampleRandom random, double seconds)
      throws IOException {
    int side = 32;
    int fps = 16;
    int rate = 16_000;
    java.awt.Color hue = java.awt.Color.getHSBColor(label / (float) classes, 0.8f,
        (float) random.uniform(0.6, 0.9));
    MediaWriter.Spec spec = new MediaWriter.Spec(MediaWriter.Container.MP4, side, side, fps, 8, 400_000, rate, 1,
        64_000, false);
    try (MediaWriter writer = MediaWriter.open(file, spec)) {
      int frames = (int) Math.round(seconds * fps);
      byte[] rgb = new byte[side * side * 3];
      for (int f = 0; f < frames; f++) {
        for (int p = 0; p < side * side; p++) {
          int noise = (int) Math.round(8 * random.nextGaussian());
          rgb[3 * p] = (byte) clamp(hue.getRed() + noise);
          rgb[3 * p + 1] = (byte) clamp(hue.getGreen() + noise);
          rgb[3 * p + 2] = (byte) clamp(hue.getBlue() + noise);
        }
        writer.writeFrame(rgb);
      }
      int samples = (int) Math.round(seconds * rate);
      float[] tone = new float[samples];
      double pitch = 300 * Math.pow(2, label);
      for (int s = 0; s < samples; s++) {
        tone[s] = (float) (0.3 * Math.sin(2 * Math.PI * pitch * s / rate) + 0.01 * random.nextGaussian());
      }
      writer.writeAudio(tone, samples);
    }
  }

  private static int clamp(int value) {
    return Math.max(0, Math.min(255, value));
  }
}
