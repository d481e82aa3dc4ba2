package crisscross.pipeline.augment;

import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the decoded frames of one video view into the encoder's input: {@code float[3][T][S][S]} (channel,
 * frame, row, column), through the chain of Table S1 with torchvision's semantics (see
 * {@link VideoAugmentSettings} for the order). Temporally consistent by default (§4.5): the parameters are
 * drawn once per view and every frame gets the same crop, flip, jitter, greyscale, blur and cutout, so a
 * static clip stays static; temporally random draws them per frame.
 *
 * <p>Two details differ from the authors' code, both towards the paper's text: the cutout patch is filled
 * with the mean of the first frame (Appendix D.1) where their code multiplies the normalised frame by it,
 * and its side is exactly the drawn length (their code cuts {@code 2 * (length / 2)}). The fill is the mean
 * over the three channels of the first augmented frame before normalisation, a single grey level as in their
 * code.
 *
 * <p>Immutable and thread-safe: scratch buffers are allocated per call (a few planes, never per pixel).
 */
public final class VideoAugmenter {
  private final VideoAugmentSettings settings;
  private final float[] mean = new float[3];
  private final float[] inverseStd = new float[3];

  /** A crop of the source frame, in source pixels. */
  public record CropBox(int top, int left, int height, int width) {}

  /** A cutout patch of the output frame, already clipped to it. */
  public record CutoutBox(int top, int left, int height, int width) {}

  /**
   * Colour jitter factors and the order (0 brightness, 1 contrast, 2 saturation, 3 hue) they are applied in.
   */
  public record Jitter(List<Integer> order, float brightness, float contrast, float saturation, float hue) {}

  /**
   * One draw of every step's parameters: a whole view's when temporally consistent, else one frame's.
   *
   * @param jitter null when colour jitter is not applied
   * @param blurSigma NaN when the blur is not applied
   */
  public record Parameters(CropBox crop, boolean flip, Jitter jitter, boolean grayscale, double blurSigma,
      List<CutoutBox> cutouts) {}

  public VideoAugmenter(VideoAugmentSettings settings) {
    this.settings = settings;
    for (int c = 0; c < 3; c++) {
      mean[c] = settings.normalizeMean().get(c).floatValue();
      inverseStd[c] = (float) (1.0 / settings.normalizeStd().get(c));
    }
  }

  public VideoAugmentSettings settings() {
    return settings;
  }

  /**
   * The augmented, normalised view: {@code float[3][frames][S][S]}. Draws from a fork of {@code random}, which
   * is not advanced.
   */
  public float[] apply(VideoFrames frames, SampleRandom random) {
    int s = settings.cropSize();
    int pixels = s * s;
    int count = frames.frames();
    if (count < 1) {
      throw new IllegalArgumentException("a video view needs at least one frame");
    }
    float[] out = new float[3 * count * pixels];
    float[] frame = new float[3 * pixels];
    float[] planeScratch = new float[GaussianBlur.scratchLength(s, s, settings.blurKernel())];
    float[] resizeScratch = new float[s * frames.width() * 3];
    List<Parameters> parameters = parameters(count, frames.height(), frames.width(), random);
    Resampling[] sharedTables = settings.temporallyConsistent() ? tables(parameters.get(0)) : null;
    float cutoutFill = 0f;
    for (int t = 0; t < count; t++) {
      Parameters p = parameters.get(t);
      Resampling[] tables = sharedTables != null ? sharedTables : tables(p);
      cropResize(frames, t, p.crop(), tables[0], tables[1], resizeScratch, frame);
      if (p.jitter() != null) {
        jitter(frame, pixels, p.jitter());
      }
      if (p.grayscale()) {
        ColourOps.grayscale(frame, pixels);
      }
      if (!Double.isNaN(p.blurSigma())) {
        GaussianBlur.apply(frame, 3, s, s, GaussianBlur.kernel(settings.blurKernel(), p.blurSigma()),
            planeScratch);
      }
      if (t == 0) {
        cutoutFill = mean(frame);
      }
      for (CutoutBox box : p.cutouts()) {
        fill(frame, s, box, cutoutFill);
      }
      normalise(frame, pixels, t, count, out);
    }
    return out;
  }

  /**
   * The parameters {@link #apply} uses for each of {@code count} frames of {@code height x width}: one draw
   * repeated when temporally consistent, else one draw per frame. Draws from a fork of {@code random}.
   */
  public List<Parameters> parameters(int count, int height, int width, SampleRandom random) {
    SampleRandom draws = random.fork("video.augment");
    if (settings.temporallyConsistent()) {
      return java.util.Collections.nCopies(count, draw(height, width, draws));
    }
    List<Parameters> perFrame = new ArrayList<>(count);
    for (int t = 0; t < count; t++) {
      perFrame.add(draw(height, width, draws.fork(t)));
    }
    return perFrame;
  }

  /** Draws one set of parameters for a {@code height x width} source frame, in a fixed order of draws. */
  public Parameters draw(int height, int width, SampleRandom random) {
    CropBox crop = settings.multiScaleCrop() ? randomResizedCrop(height, width, random) : centreCrop(height, width);
    boolean flip = random.nextDouble() < settings.flipProbability();
    Jitter jitter = null;
    if (random.nextDouble() < settings.jitterProbability()) {
      int[] order = {0, 1, 2, 3};
      random.shuffle(order);
      float b = (float) factor(random, settings.brightness());
      float c = (float) factor(random, settings.contrast());
      float sat = (float) factor(random, settings.saturation());
      float h = (float) random.uniform(-settings.hue(), settings.hue());
      jitter = new Jitter(List.of(order[0], order[1], order[2], order[3]), b, c, sat, h);
    }
    boolean grayscale = random.nextDouble() < settings.grayscaleProbability();
    double sigma = Double.NaN;
    if (random.nextDouble() < settings.blurProbability()) {
      sigma = random.uniform(settings.blurSigmaMin(), settings.blurSigmaMax());
    }
    List<CutoutBox> cutouts = new ArrayList<>();
    if (random.nextDouble() < settings.cutoutProbability()) {
      int s = settings.cropSize();
      for (int n = 0; n < settings.cutoutCount(); n++) {
        int side = random.intBetween(settings.cutoutMinSize(), settings.cutoutMaxSize());
        int centreRow = random.nextInt(s);
        int centreColumn = random.nextInt(s);
        int top = Math.max(0, centreRow - side / 2);
        int left = Math.max(0, centreColumn - side / 2);
        int bottom = Math.min(s, centreRow - side / 2 + side);
        int right = Math.min(s, centreColumn - side / 2 + side);
        if (bottom > top && right > left) {
          cutouts.add(new CutoutBox(top, left, bottom - top, right - left));
        }
      }
    }
    return new Parameters(crop, flip, jitter, grayscale, sigma, List.copyOf(cutouts));
  }

  /**
   * torchvision's {@code RandomResizedCrop.get_params}: up to ten tries of an area fraction uniform in
   * [min, max] and a log-uniform aspect ratio, each kept if it fits; else the largest centred crop whose
   * ratio is within range.
   */
  public CropBox randomResizedCrop(int height, int width, SampleRandom random) {
    double area = (double) height * width;
    double logMin = Math.log(settings.cropMinRatio());
    double logMax = Math.log(settings.cropMaxRatio());
    for (int attempt = 0; attempt < 10; attempt++) {
      double target = area * random.uniform(settings.cropMinArea(), settings.cropMaxArea());
      double ratio = Math.exp(random.uniform(logMin, logMax));
      int w = (int) Math.rint(Math.sqrt(target * ratio));
      int h = (int) Math.rint(Math.sqrt(target / ratio));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        int top = random.nextInt(height - h + 1);
        int left = random.nextInt(width - w + 1);
        return new CropBox(top, left, h, w);
      }
    }
    double inRatio = (double) width / height;
    int w;
    int h;
    if (inRatio < settings.cropMinRatio()) {
      w = width;
      h = (int) Math.rint(w / settings.cropMinRatio());
    } else if (inRatio > settings.cropMaxRatio()) {
      h = height;
      w = (int) Math.rint(h * settings.cropMaxRatio());
    } else {
      w = width;
      h = height;
    }
    return new CropBox((height - h) / 2, (width - w) / 2, h, w);
  }

  /** The evaluation crop: a centred square of {@code centreCropFraction} of the short side. */
  public CropBox centreCrop(int height, int width) {
    int side = (int) Math.max(1, Math.min(Math.min(height, width),
        Math.rint(Math.min(height, width) * settings.centreCropFraction())));
    return new CropBox((int) Math.rint((height - side) / 2.0), (int) Math.rint((width - side) / 2.0), side, side);
  }

  private static double factor(SampleRandom random, double strength) {
    return random.uniform(Math.max(0, 1 - strength), 1 + strength);
  }

  private Resampling[] tables(Parameters p) {
    int s = settings.cropSize();
    CropBox crop = p.crop();
    return new Resampling[] {
        Resampling.antialiasedBilinear(crop.top(), crop.height(), s, false),
        Resampling.antialiasedBilinear(0, crop.width(), s, p.flip())};
  }

  /**
   * Crops frame {@code t} and resizes it to S x S into planar {@code frame}: rows first, reading the
   * interleaved source directly, then columns.
   */
  private void cropResize(VideoFrames frames, int t, CropBox crop, Resampling rows, Resampling columns,
      float[] scratch, float[] frame) {
    int s = settings.cropSize();
    int pixels = s * s;
    float[] rgb = frames.rgb();
    int rowValues = crop.width() * 3;
    int frameBase = t * frames.frameSize() + crop.left() * 3;
    int sourceStride = frames.width() * 3;
    int rowTaps = rows.taps();
    for (int r = 0; r < s; r++) {
      int base = r * rowValues;
      java.util.Arrays.fill(scratch, base, base + rowValues, 0f);
      for (int k = 0; k < rowTaps; k++) {
        float w = rows.weight()[r * rowTaps + k];
        if (w == 0f) {
          continue;
        }
        int source = frameBase + rows.index()[r * rowTaps + k] * sourceStride;
        for (int i = 0; i < rowValues; i++) {
          scratch[base + i] += w * rgb[source + i];
        }
      }
    }
    int columnTaps = columns.taps();
    int[] index = columns.index();
    float[] weight = columns.weight();
    for (int r = 0; r < s; r++) {
      int base = r * rowValues;
      for (int x = 0; x < s; x++) {
        float red = 0f;
        float green = 0f;
        float blue = 0f;
        for (int k = 0; k < columnTaps; k++) {
          float w = weight[x * columnTaps + k];
          int source = base + index[x * columnTaps + k] * 3;
          red += w * scratch[source];
          green += w * scratch[source + 1];
          blue += w * scratch[source + 2];
        }
        int p = r * s + x;
        frame[p] = red;
        frame[pixels + p] = green;
        frame[2 * pixels + p] = blue;
      }
    }
  }

  private static void jitter(float[] frame, int pixels, Jitter jitter) {
    for (int op : jitter.order()) {
      switch (op) {
        case 0 -> ColourOps.brightness(frame, pixels, jitter.brightness());
        case 1 -> ColourOps.contrast(frame, pixels, jitter.contrast());
        case 2 -> ColourOps.saturation(frame, pixels, jitter.saturation());
        default -> ColourOps.hue(frame, pixels, jitter.hue());
      }
    }
  }

  private static float mean(float[] frame) {
    double sum = 0;
    for (float v : frame) {
      sum += v;
    }
    return (float) (sum / frame.length);
  }

  private static void fill(float[] frame, int s, CutoutBox box, float value) {
    int pixels = s * s;
    for (int c = 0; c < 3; c++) {
      for (int r = box.top(); r < box.top() + box.height(); r++) {
        int row = c * pixels + r * s;
        java.util.Arrays.fill(frame, row + box.left(), row + box.left() + box.width(), value);
      }
    }
  }

  private void normalise(float[] frame, int pixels, int t, int count, float[] out) {
    for (int c = 0; c < 3; c++) {
      float m = mean[c];
      float inv = inverseStd[c];
      int source = c * pixels;
      int target = (c * count + t) * pixels;
      for (int p = 0; p < pixels; p++) {
        out[target + p] = (frame[source + p] - m) * inv;
      }
    }
  }
}
