package crisscross.pipeline.augment;

/**
 * torchvision's colour adjustments on float images in [0, 1] ({@code functional_tensor}), in place on one
 * planar RGB frame: {@code frame[c * pixels + p]}. Each blends the image with a reference and clamps to
 * [0, 1] as torchvision's {@code _blend} does; hue goes through torchvision's HSV conversion.
 */
public final class ColourOps {
  /** ITU-R 601 luma weights as torchvision's {@code rgb_to_grayscale} uses them. */
  static final float LUMA_R = 0.2989f;
  static final float LUMA_G = 0.587f;
  static final float LUMA_B = 0.114f;

  private ColourOps() {}

  /** {@code adjust_brightness}: blend with black. */
  public static void brightness(float[] frame, int pixels, float factor) {
    for (int i = 0; i < 3 * pixels; i++) {
      frame[i] = clamp(factor * frame[i]);
    }
  }

  /** {@code adjust_contrast}: blend with the mean grey level of the frame. */
  public static void contrast(float[] frame, int pixels, float factor) {
    double sum = 0;
    for (int p = 0; p < pixels; p++) {
      sum += LUMA_R * frame[p] + LUMA_G * frame[pixels + p] + LUMA_B * frame[2 * pixels + p];
    }
    float mean = (float) (sum / pixels);
    float offset = (1 - factor) * mean;
    for (int i = 0; i < 3 * pixels; i++) {
      frame[i] = clamp(factor * frame[i] + offset);
    }
  }

  /** {@code adjust_saturation}: blend each pixel with its own grey level. */
  public static void saturation(float[] frame, int pixels, float factor) {
    float keep = 1 - factor;
    for (int p = 0; p < pixels; p++) {
      float r = frame[p];
      float g = frame[pixels + p];
      float b = frame[2 * pixels + p];
      float grey = keep * (LUMA_R * r + LUMA_G * g + LUMA_B * b);
      frame[p] = clamp(factor * r + grey);
      frame[pixels + p] = clamp(factor * g + grey);
      frame[2 * pixels + p] = clamp(factor * b + grey);
    }
  }

  /** {@code rgb_to_grayscale} with three output channels. */
  public static void grayscale(float[] frame, int pixels) {
    for (int p = 0; p < pixels; p++) {
      float grey = LUMA_R * frame[p] + LUMA_G * frame[pixels + p] + LUMA_B * frame[2 * pixels + p];
      frame[p] = grey;
      frame[pixels + p] = grey;
      frame[2 * pixels + p] = grey;
    }
  }

  /**
   * {@code adjust_hue}: rotate the hue by {@code factor} turns (in [-0.5, 0.5]) in HSV space. Algebraically
   * torchvision's {@code _rgb2hsv}, shift, {@code _hsv2rgb}, with the saturation folded away ({@code v (1 - s)}
   * is the pixel's minimum, {@code v (1 - s f)} is {@code max - chroma f}), which leaves one division per
   * pixel; results agree with torchvision to float rounding.
   */
  public static void hue(float[] frame, int pixels, float factor) {
    if (!(factor >= -0.5f && factor <= 0.5f)) {
      throw new IllegalArgumentException("hue factor must be in [-0.5, 0.5]: " + factor);
    }
    for (int p = 0; p < pixels; p++) {
      float r = frame[p];
      float g = frame[pixels + p];
      float b = frame[2 * pixels + p];
      float max = Math.max(r, Math.max(g, b));
      float min = Math.min(r, Math.min(g, b));
      float chroma = max - min;
      if (chroma == 0f) {
        // Grey pixels have no hue: torchvision maps them to h = 0, s = 0 and back to themselves.
        continue;
      }
      float inverse = 1f / chroma;
      float h;
      if (max == r) {
        h = (g - b) * inverse;
      } else if (max == g) {
        h = 2f + (b - r) * inverse;
      } else {
        h = 4f + (r - g) * inverse;
      }
      // torchvision's fmod(h / 6 + 1, 1) and (h + factor) % 1 for the ranges these values take: h / 6 + 1
      // lies in [5/6, 11/6] and the shifted hue in [-1/2, 3/2), where subtracting or adding 1 is exact
      // (Java's float % is an order of magnitude slower).
      h = h / 6f + 1f;
      if (h >= 1f) {
        h -= 1f;
      }
      h += factor;
      if (h >= 1f) {
        h -= 1f;
      } else if (h < 0f) {
        h += 1f;
      }
      float scaled = h * 6f;
      int sector = (int) scaled;
      float rising = min + chroma * (scaled - sector);
      float falling = max - chroma * (scaled - sector);
      switch (sector % 6) {
        case 0 -> { r = max; g = rising; b = min; }
        case 1 -> { r = falling; g = max; b = min; }
        case 2 -> { r = min; g = max; b = rising; }
        case 3 -> { r = min; g = falling; b = max; }
        case 4 -> { r = rising; g = min; b = max; }
        default -> { r = max; g = min; b = falling; }
      }
      frame[p] = r;
      frame[pixels + p] = g;
      frame[2 * pixels + p] = b;
    }
  }

  private static float clamp(float v) {
    return v < 0f ? 0f : (v > 1f ? 1f : v);
  }
}
