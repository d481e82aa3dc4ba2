package crisscross.pipeline.synth;

import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What every clip of one class shares: a shape of one colour moving in one direction at one speed, pulsing at one
 * rate, and a tone of one pitch and timbre beating at that same rate. Attributes are spread evenly over their
 * ranges and shuffled against each other, so no single attribute orders the classes the way another does. They
 * depend only on the class count, not on the corpus seed.
 *
 * @param hue colour of the object, in turns of the colour wheel [0, 1)
 * @param direction initial direction of motion in radians (the object bounces off the frame's edges)
 * @param speed distance travelled per second, in frame widths
 * @param pitchHz fundamental of the tone, 220 Hz to 1760 Hz (three octaves)
 * @param beatHz pulses per second of both the object's size and the tone's loudness
 * @param harmonics number of harmonics of the tone (its timbre)
 */
public record ClassSignature(int index, String label, Shape shape, double hue, double direction, double speed,
    double pitchHz, double beatHz, int harmonics) {
  private static final String[] HUE_NAMES = {"red", "orange", "yellow", "lime", "green", "jade", "cyan", "azure",
    "blue", "violet", "magenta", "rose"};

  /** The signatures of {@code classes} classes. */
  public static List<ClassSignature> all(int classes) {
    List<ClassSignature> signatures = new ArrayList<>(classes);
    Shape[] shapes = Shape.values();
    double[] speeds = spread(classes, "speed");
    double[] pitches = spread(classes, "pitch");
    double[] beats = spread(classes, "beat");
    double[] directions = spread(classes, "direction");
    double stretch = classes / (double) Math.max(1, classes - 1);
    for (int c = 0; c < classes; c++) {
      double hue = c / (double) classes;
      double direction = 2 * Math.PI * (directions[c] + 0.05);
      double speed = 0.2 + 0.4 * speeds[c];
      double pitch = 220 * Math.pow(2, 3 * pitches[c] * stretch);
      double beat = 1.0 + 2.5 * beats[c] * stretch;
      int harmonics = 1 + c % 4;
      Shape shape = shapes[c % shapes.length];
      String colour = HUE_NAMES[(int) Math.round(hue * HUE_NAMES.length) % HUE_NAMES.length];
      String label = String.format(Locale.ROOT, "%02d-%s-%s", c, colour, shape.label());
      signatures.add(new ClassSignature(c, label, shape, hue, direction, speed, pitch, beat, harmonics));
    }
    return List.copyOf(signatures);
  }

  /**
   * Each class's place in [0, 1) along one attribute: the classes evenly spaced in an order shuffled by the
   * attribute's name (not by the corpus seed, so classes mean the same in every corpus), so that no attribute
   * orders the classes the way another does.
   */
  static double[] spread(int classes, String attribute) {
    int[] order = new int[classes];
    for (int i = 0; i < classes; i++) {
      order[i] = i;
    }
    SampleRandom.of(0x5EED_C1A55L).fork(attribute).shuffle(order);
    double[] places = new double[classes];
    for (int rank = 0; rank < classes; rank++) {
      places[order[rank]] = rank / (double) classes;
    }
    return places;
  }

  /** Semitones between the closest pitches of the classes (three octaves shared evenly). */
  public static double pitchSpacingSemitones(int classes) {
    return 36.0 / Math.max(1, classes - 1);
  }
}
