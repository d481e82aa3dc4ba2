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

  /** {@code adjust_hue}: rotate the hue by {@code factor} turns (in [-0.5, 0.5]) in HSV space. */
  public static void hue(float[] frame, int pixels, float factor) {
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
      float s = chroma / max;
      float rc = (max - r) / chroma;
      float gc = (max - g) / chroma;
      float bc = (max - b) / chroma;
      float h;
      if (max == r) {
        h = bc - gc;
      } else if (max == g) {
        h = 2f + rc - bc;
      } else {
        h = 4f + gc - rc;
      }
      h = (h / 6f + 1f) % 1f;
      h = (h + factor) % 1f;
      if (h < 0) {
        h += 1f;
      }
      hsvToRgb(h, s, max, frame, pixels, p);
    }
  }

  private static void hsvToRgb(float h, float s, float v, float[] frame, int pixels, int p) {
    float scaled = h * 6f;
    float sector = (float) Math.floor(scaled);
    float f = scaled - sector;
    int i = ((int) sector) % 6;
    float pv = clamp(v * (1f - s));
    float qv = clamp(v * (1f - s * f));
    float tv = clamp(v * (1f - s * (1f - f)));
    float r;
    float g;
    float b;
    switch (i) {
      case 0 -> { r = v; g = tv; b = pv; }
      case 1 -> { r = qv; g = v; b = pv; }
      case 2 -> { r = pv; g = v; b = tv; }
      case 3 -> { r = pv; g = qv; b = v; }
      case 4 -> { r = tv; g = pv; b = v; }
      default -> { r = v; g = pv; b = qv; }
    }
    frame[p] = r;
    frame[pixels + p] = g;
    frame[2 * pixels + p] = b;
  }

  private static float clamp(float v) {
    return v < 0f ? 0f : (v > 1f ? 1f : v);
  }
}
