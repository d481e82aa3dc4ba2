package crisscross.pipeline.augment;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.io.Npy;
import crisscross.pipeline.io.NpyArray;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The building blocks against the PyTorch / torchvision operations the authors used, on tiny inputs written by
 * tools/augment/make_reference.py (torch 1.13, torchvision 0.14).
 */
class AugmentReferenceTest {
  private static final int ROWS = 20;
  private static final int COLUMNS = 26;
  private static final int PIXELS = ROWS * COLUMNS;
  private static final float TOLERANCE = 2e-6f;

  @Test
  void multiScaleCropResizeIsTorchvisionsAntialiasedBilinear() throws IOException {
    float[] image = load("image").toFloats();
    assertResizedCrop(image, 3, 5, 13, 17, 7, 9, load("resized_crop_down"));
    assertResizedCrop(image, 2, 4, 5, 6, 11, 13, load("resized_crop_up"));
  }

  @Test
  void colourJitterComponentsAreTorchvisions() throws IOException {
    assertColour("brightness_1.3", f -> ColourOps.brightness(f, PIXELS, 1.3f));
    assertColour("contrast_0.7", f -> ColourOps.contrast(f, PIXELS, 0.7f));
    assertColour("saturation_1.35", f -> ColourOps.saturation(f, PIXELS, 1.35f));
    assertColour("saturation_0.6", f -> ColourOps.saturation(f, PIXELS, 0.6f));
    assertColour("hue_0.17", f -> ColourOps.hue(f, PIXELS, 0.17f));
    assertColour("hue_-0.2", f -> ColourOps.hue(f, PIXELS, -0.2f));
    assertColour("grayscale", f -> ColourOps.grayscale(f, PIXELS));
  }

  @Test
  void gaussianBlurIsTorchvisionsWithReflectPadding() throws IOException {
    float[] scratch = new float[GaussianBlur.scratchLength(ROWS, COLUMNS, 11)];
    assertColour("blur_11_1.3", f -> GaussianBlur.apply(f, 3, ROWS, COLUMNS, GaussianBlur.kernel(11, 1.3),
        scratch));
    assertColour("blur_11_0.1", f -> GaussianBlur.apply(f, 3, ROWS, COLUMNS, GaussianBlur.kernel(11, 0.1),
        scratch));
  }

  @Test
  void bicubicIsPytorchsInterpolate() throws IOException {
    float[] plane = load("plane").toFloats();
    assertBicubic(plane, 7, 11, true, load("bicubic_aligned_7x11"));
    assertBicubic(plane, 3, 4, true, load("bicubic_aligned_3x4"));
    assertBicubic(plane, 9, 8, false, load("bicubic_half_pixel_9x8"));
    assertBicubic(plane, 3, 8, false, load("bicubic_half_pixel_3x8"));
  }

  private static void assertResizedCrop(float[] image, int top, int left, int height, int width, int outRows,
      int outColumns, NpyArray expected) {
    Resampling rows = Resampling.antialiasedBilinear(top, height, outRows, false);
    Resampling columns = Resampling.antialiasedBilinear(left, width, outColumns, false);
    float[] out = new float[3 * outRows * outColumns];
    float[] scratch = new float[outRows * COLUMNS];
    for (int c = 0; c < 3; c++) {
      float[] plane = java.util.Arrays.copyOfRange(image, c * PIXELS, (c + 1) * PIXELS);
      Resampling.resizePlane(plane, COLUMNS, rows, columns, scratch, out, c * outRows * outColumns);
    }
    assertClose(out, expected, TOLERANCE);
  }

  private static void assertBicubic(float[] plane, int outRows, int outColumns, boolean alignCorners,
      NpyArray expected) {
    float[] out = new float[outRows * outColumns];
    Resampling.resizePlane(plane, 8, Resampling.bicubic(5, outRows, alignCorners),
        Resampling.bicubic(8, outColumns, alignCorners), new float[outRows * 8], out, 0);
    assertClose(out, expected, 1e-5f);
  }

  private static void assertColour(String name, Consumer<float[]> operation) throws IOException {
    float[] frame = load("image").toFloats();
    operation.accept(frame);
    assertClose(frame, load(name), TOLERANCE);
  }

  private static void assertClose(float[] actual, NpyArray expected, float tolerance) {
    assertThat(actual).hasSize(expected.data().length);
    double worst = 0;
    for (int i = 0; i < actual.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected.data()[i]));
    }
    assertThat(worst).isLessThan(tolerance);
  }

  private static NpyArray load(String name) throws IOException {
    try (InputStream in = AugmentReferenceTest.class.getResourceAsStream("reference/" + name + ".npy")) {
      assertThat(in).as("test resource reference/%s.npy", name).isNotNull();
      return Npy.parse(in.readAllBytes());
    }
  }
}
