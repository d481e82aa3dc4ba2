package crisscross.pipeline.augment;

import crisscross.pipeline.config.Settings;
import java.util.List;

/**
 * The visual augmentation chain of Table S1, applied in this order: multi-scale crop to {@code cropSize}
 * (torchvision's {@code RandomResizedCrop}), horizontal flip, colour jitter (brightness, contrast, saturation,
 * hue in random order), greyscale, Gaussian blur, cutout, ImageNet normalisation. A step whose probability is
 * 0 is off; without {@code multiScaleCrop} the crop is the deterministic centre crop of evaluation.
 *
 * @param cropSize side of the square output, S ({@code video.crop-size}, §4.1: 112)
 * @param temporallyConsistent one parameter draw per view for every frame (§4.5); false draws per frame
 * @param multiScaleCrop random resized crop; false: the centre {@code centreCropFraction} of the short side
 * @param centreCropFraction side of the centre crop relative to the short side when {@code multiScaleCrop} is
 *     off: 0.875, the authors' evaluation transform (resize to S / 0.875, centre crop S)
 * @param cropMinArea smallest crop area as a fraction of the frame (Table S1: 0.08)
 * @param cropMaxArea largest crop area fraction (1.0)
 * @param cropMinRatio smallest width / height of the crop (3/4)
 * @param cropMaxRatio largest width / height of the crop (4/3)
 * @param flipProbability horizontal flip (Table S1: 0.5)
 * @param jitterProbability colour jitter as a whole (the authors apply it always: 1.0)
 * @param brightness brightness factor drawn in [max(0, 1 - b), 1 + b] (Table S1: 0.4)
 * @param contrast contrast factor drawn in [max(0, 1 - c), 1 + c] (0.4)
 * @param saturation saturation factor drawn in [max(0, 1 - s), 1 + s] (0.4)
 * @param hue hue shift drawn in [-h, h] turns (0.2)
 * @param grayscaleProbability greyscale (Table S1: 0.2)
 * @param blurProbability Gaussian blur (Table S1: 0.5)
 * @param blurKernel blur kernel size, odd (the authors' S / 20 * 2 + 1 = 11)
 * @param blurSigmaMin smallest blur sigma (0.1, after SimCLR)
 * @param blurSigmaMax largest blur sigma (2.0)
 * @param cutoutProbability cutout (the authors: 1.0)
 * @param cutoutMinSize smallest patch side in pixels (1)
 * @param cutoutMaxSize largest patch side in pixels (Table S1: 20)
 * @param cutoutCount patches per frame (Table S1: 1)
 * @param normalizeMean per-channel mean subtracted last (ImageNet)
 * @param normalizeStd per-channel standard deviation divided by last (ImageNet)
 */
public record VideoAugmentSettings(int cropSize, boolean temporallyConsistent, boolean multiScaleCrop,
    double centreCropFraction, double cropMinArea, double cropMaxArea, double cropMinRatio, double cropMaxRatio,
    double flipProbability, double jitterProbability, double brightness, double contrast, double saturation,
    double hue, double grayscaleProbability, double blurProbability, int blurKernel, double blurSigmaMin,
    double blurSigmaMax, double cutoutProbability, int cutoutMinSize, int cutoutMaxSize, int cutoutCount,
    List<Double> normalizeMean, List<Double> normalizeStd) {

  /** The authors' evaluation transform: resize to S / 0.875, then centre crop S. */
  public static final double EVALUATION_CENTRE_FRACTION = 0.875;

  public VideoAugmentSettings {
    normalizeMean = List.copyOf(normalizeMean);
    normalizeStd = List.copyOf(normalizeStd);
    require(cropSize >= 1, "crop size must be positive: " + cropSize);
    require(centreCropFraction > 0 && centreCropFraction <= 1, "centre crop fraction must be in (0, 1]");
    require(cropMinArea > 0 && cropMinArea <= cropMaxArea && cropMaxArea <= 1,
        "crop areas must satisfy 0 < min <= max <= 1: " + cropMinArea + ", " + cropMaxArea);
    require(cropMinRatio > 0 && cropMinRatio <= cropMaxRatio,
        "crop ratios must satisfy 0 < min <= max: " + cropMinRatio + ", " + cropMaxRatio);
    for (double p : new double[] {flipProbability, jitterProbability, grayscaleProbability, blurProbability,
        cutoutProbability}) {
      require(p >= 0 && p <= 1, "probabilities must be in [0, 1]: " + p);
    }
    require(brightness >= 0 && contrast >= 0 && saturation >= 0, "jitter strengths must be non-negative");
    require(hue >= 0 && hue <= 0.5, "hue jitter must be in [0, 0.5]: " + hue);
    require(blurKernel >= 1 && blurKernel % 2 == 1, "blur kernel must be odd: " + blurKernel);
    require(blurKernel / 2 < cropSize, "blur kernel " + blurKernel + " is too large for crop " + cropSize);
    require(blurSigmaMin > 0 && blurSigmaMin <= blurSigmaMax, "blur sigmas must satisfy 0 < min <= max");
    require(cutoutMinSize >= 0 && cutoutMinSize <= cutoutMaxSize, "cutout sizes must satisfy 0 <= min <= max");
    require(cutoutCount >= 0, "cutout count must be non-negative");
    require(normalizeMean.size() == 3 && normalizeStd.size() == 3, "normalisation needs three values each");
    for (double std : normalizeStd) {
      require(std > 0, "normalisation std must be positive: " + std);
    }
  }

  /** Smallest crop: the video encoder's convolutions downsample space by 8. */
  public static final int MIN_CROP_SIZE = 8;

  /**
   * {@code video.crop-size}, parsed and bounded here only (the model's input shape, feature extraction, finetuning
   * and {@code inspect} read it here).
   */
  public static int cropSize(Settings settings) {
    return settings.integer("video.crop-size", MIN_CROP_SIZE, 4096);
  }

  /** {@code video.normalize-mean}: one value per RGB channel, parsed here only. */
  public static List<Double> normalizeMean(Settings settings) {
    List<Double> mean = settings.reals("video.normalize-mean", -1e3, 1e3);
    if (mean.size() != 3) {
      throw settings.invalid("video.normalize-mean", "needs one value per RGB channel, got " + mean.size());
    }
    return mean;
  }

  /** {@code video.normalize-std}: one positive value per RGB channel, parsed here only. */
  public static List<Double> normalizeStd(Settings settings) {
    List<Double> std = settings.reals("video.normalize-std", 1e-9, 1e3);
    if (std.size() != 3) {
      throw settings.invalid("video.normalize-std", "needs one value per RGB channel, got " + std.size());
    }
    return std;
  }

  public static VideoAugmentSettings from(Settings settings) {
    String a = "video.augment.";
    int crop = cropSize(settings);
    int kernel = settings.integer(a + "blur-kernel", 1, 255);
    if (kernel % 2 == 0 || kernel / 2 >= crop) {
      throw settings.invalid(a + "blur-kernel", "must be odd and smaller than twice video.crop-size, got "
          + kernel);
    }
    double minArea = settings.real(a + "crop-min-area", 1e-6, 1);
    double maxArea = settings.real(a + "crop-max-area", minArea, 1);
    double minRatio = settings.real(a + "crop-min-ratio", 1e-3, 1e3);
    double maxRatio = settings.real(a + "crop-max-ratio", minRatio, 1e3);
    double sigmaMin = settings.real(a + "blur-sigma-min", 1e-6, 1e3);
    double sigmaMax = settings.real(a + "blur-sigma-max", sigmaMin, 1e3);
    int cutoutMin = settings.integer(a + "cutout-min-size", 0, 4096);
    int cutoutMax = settings.integer(a + "cutout-max-size", cutoutMin, 4096);
    List<Double> mean = normalizeMean(settings);
    List<Double> std = normalizeStd(settings);
    return new VideoAugmentSettings(crop, settings.bool("video.temporally-consistent"), true,
        EVALUATION_CENTRE_FRACTION, minArea, maxArea, minRatio, maxRatio,
        settings.real(a + "flip-probability", 0, 1), settings.real(a + "jitter-probability", 0, 1),
        settings.real(a + "brightness", 0, 1e3), settings.real(a + "contrast", 0, 1e3),
        settings.real(a + "saturation", 0, 1e3), settings.real(a + "hue", 0, 0.5),
        settings.real(a + "grayscale-probability", 0, 1), settings.real(a + "blur-probability", 0, 1), kernel,
        sigmaMin, sigmaMax, settings.real(a + "cutout-probability", 0, 1), cutoutMin, cutoutMax,
        settings.integer(a + "cutout-count", 0, 1000), mean, std);
  }

  /**
   * Features for linear evaluation's training clips (Appendix E.1): the same chain without Gaussian blur,
   * which "deteriorates the performance".
   */
  public VideoAugmentSettings withoutBlur() {
    return toBuilder().blurProbability(0).build();
  }

  /**
   * Test clips (Appendix E.1, "to perform a deterministic evaluation, we don't apply any augmentations"): the
   * centre crop and normalisation only.
   */
  public VideoAugmentSettings evaluation() {
    return toBuilder().temporallyConsistent(true).multiScaleCrop(false)
        .centreCropFraction(EVALUATION_CENTRE_FRACTION).flipProbability(0).jitterProbability(0)
        .grayscaleProbability(0).blurProbability(0).cutoutProbability(0).build();
  }

  /** §4.5's temporally random variant (false) or the default temporally consistent one (true). */
  public VideoAugmentSettings withTemporallyConsistent(boolean consistent) {
    return toBuilder().temporallyConsistent(consistent).build();
  }

  /** A builder holding these values, to change a few of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.cropSize = cropSize;
    b.temporallyConsistent = temporallyConsistent;
    b.multiScaleCrop = multiScaleCrop;
    b.centreCropFraction = centreCropFraction;
    b.cropMinArea = cropMinArea;
    b.cropMaxArea = cropMaxArea;
    b.cropMinRatio = cropMinRatio;
    b.cropMaxRatio = cropMaxRatio;
    b.flipProbability = flipProbability;
    b.jitterProbability = jitterProbability;
    b.brightness = brightness;
    b.contrast = contrast;
    b.saturation = saturation;
    b.hue = hue;
    b.grayscaleProbability = grayscaleProbability;
    b.blurProbability = blurProbability;
    b.blurKernel = blurKernel;
    b.blurSigmaMin = blurSigmaMin;
    b.blurSigmaMax = blurSigmaMax;
    b.cutoutProbability = cutoutProbability;
    b.cutoutMinSize = cutoutMinSize;
    b.cutoutMaxSize = cutoutMaxSize;
    b.cutoutCount = cutoutCount;
    b.normalizeMean = normalizeMean;
    b.normalizeStd = normalizeStd;
    return b;
  }

  /** Mutable copy of the settings; {@link #build()} validates. */
  public static final class Builder {
    private int cropSize;
    private boolean temporallyConsistent;
    private boolean multiScaleCrop;
    private double centreCropFraction;
    private double cropMinArea;
    private double cropMaxArea;
    private double cropMinRatio;
    private double cropMaxRatio;
    private double flipProbability;
    private double jitterProbability;
    private double brightness;
    private double contrast;
    private double saturation;
    private double hue;
    private double grayscaleProbability;
    private double blurProbability;
    private int blurKernel;
    private double blurSigmaMin;
    private double blurSigmaMax;
    private double cutoutProbability;
    private int cutoutMinSize;
    private int cutoutMaxSize;
    private int cutoutCount;
    private List<Double> normalizeMean;
    private List<Double> normalizeStd;

    private Builder() {}

    public Builder cropSize(int value) {
      cropSize = value;
      return this;
    }

    public Builder temporallyConsistent(boolean value) {
      temporallyConsistent = value;
      return this;
    }

    public Builder multiScaleCrop(boolean value) {
      multiScaleCrop = value;
      return this;
    }

    public Builder centreCropFraction(double value) {
      centreCropFraction = value;
      return this;
    }

    public Builder cropMinArea(double value) {
      cropMinArea = value;
      return this;
    }

    public Builder cropMaxArea(double value) {
      cropMaxArea = value;
      return this;
    }

    public Builder cropMinRatio(double value) {
      cropMinRatio = value;
      return this;
    }

    public Builder cropMaxRatio(double value) {
      cropMaxRatio = value;
      return this;
    }

    public Builder flipProbability(double value) {
      flipProbability = value;
      return this;
    }

    public Builder jitterProbability(double value) {
      jitterProbability = value;
      return this;
    }

    public Builder brightness(double value) {
      brightness = value;
      return this;
    }

    public Builder contrast(double value) {
      contrast = value;
      return this;
    }

    public Builder saturation(double value) {
      saturation = value;
      return this;
    }

    public Builder hue(double value) {
      hue = value;
      return this;
    }

    public Builder grayscaleProbability(double value) {
      grayscaleProbability = value;
      return this;
    }

    public Builder blurProbability(double value) {
      blurProbability = value;
      return this;
    }

    public Builder blurKernel(int value) {
      blurKernel = value;
      return this;
    }

    public Builder blurSigmaMin(double value) {
      blurSigmaMin = value;
      return this;
    }

    public Builder blurSigmaMax(double value) {
      blurSigmaMax = value;
      return this;
    }

    public Builder cutoutProbability(double value) {
      cutoutProbability = value;
      return this;
    }

    public Builder cutoutMinSize(int value) {
      cutoutMinSize = value;
      return this;
    }

    public Builder cutoutMaxSize(int value) {
      cutoutMaxSize = value;
      return this;
    }

    public Builder cutoutCount(int value) {
      cutoutCount = value;
      return this;
    }

    public Builder normalizeMean(List<Double> value) {
      normalizeMean = value;
      return this;
    }

    public Builder normalizeStd(List<Double> value) {
      normalizeStd = value;
      return this;
    }

    public VideoAugmentSettings build() {
      return new VideoAugmentSettings(cropSize, temporallyConsistent, multiScaleCrop, centreCropFraction,
          cropMinArea, cropMaxArea, cropMinRatio, cropMaxRatio, flipProbability, jitterProbability, brightness,
          contrast, saturation, hue, grayscaleProbability, blurProbability, blurKernel, blurSigmaMin,
          blurSigmaMax, cutoutProbability, cutoutMinSize, cutoutMaxSize, cutoutCount, normalizeMean,
          normalizeStd);
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
