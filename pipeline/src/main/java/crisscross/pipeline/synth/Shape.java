package crisscross.pipeline.synth;

/** The outline of a class's object, as a test on a point relative to the object's centre and radius. */
public enum Shape {
  CIRCLE, SQUARE, TRIANGLE, DIAMOND, RING, CROSS;

  /** Whether the point {@code (dx, dy)} pixels from the centre lies inside the shape of radius {@code r}. */
  public boolean contains(double dx, double dy, double r) {
    double ax = Math.abs(dx);
    double ay = Math.abs(dy);
    return switch (this) {
      case CIRCLE -> dx * dx + dy * dy <= r * r;
      case SQUARE -> ax <= 0.85 * r && ay <= 0.85 * r;
      case TRIANGLE -> dy >= -r && dy <= 0.7 * r && ax <= 0.95 * r * (dy + r) / (1.7 * r);
      case DIAMOND -> ax + ay <= 1.1 * r;
      case RING -> {
        double d2 = dx * dx + dy * dy;
        yield d2 <= r * r && d2 >= 0.3 * r * r;
      }
      case CROSS -> (ax <= 0.32 * r && ay <= r) || (ay <= 0.32 * r && ax <= r);
    };
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
