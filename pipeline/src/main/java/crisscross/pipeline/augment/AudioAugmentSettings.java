package crisscross.pipeline.augment;

import crisscross.pipeline.audio.LogMelStatistics;
import crisscross.pipeline.config.Settings;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The audio augmentation chain of Table S2, applied in the authors' order: volume jitter on the waveform,
 * log-mel, standardisation, time warp (off by default, §4.5), frequency masks, time masks, random resize crop.
 *
 * @param volumeJitter waveform gain drawn in [1 - v, 1 + v] (Table S2: 0.2); 0 turns it off
 * @param standardization how each log-mel view is standardised
 * @param fixedMean mean subtracted under {@link Standardization#FIXED} (the authors' -5.3688107)
 * @param fixedStd standard deviation divided by under {@link Standardization#FIXED} (the authors' 4.410007)
 * @param datasetStatistics the training data's log-mel statistics under {@link Standardization#DATASET}: measured
 *     at the start of a pretraining run, empty until then
 * @param frequencyMasks frequency masks per view (Table S2: 2)
 * @param frequencyMaskMax mask widths are drawn in [0, max) bands (Table S2: 10)
 * @param timeMasks time masks per view (Table S2: 2)
 * @param timeMaskMax mask widths are drawn in [0, max) frames (Table S2: 20)
 * @param randomCrop BYOL-A's random resize crop (Table S2: on)
 * @param cropVirtualScale width of the zero canvas relative to the spectrogram in time (Table S2: 1.5; 1.0 in
 *     frequency, as BYOL-A and the authors)
 * @param cropMinScale smallest crop side relative to the spectrogram's, both axes (Table S2: 0.6)
 * @param cropMaxScale largest crop side relative to the spectrogram's, both axes (Table S2: 1.5)
 * @param timeWarp SpecAugment's time warp as s3prl implements it (§4.5: off for pretraining)
 * @param timeWarpWindow how far (frames) the warp point may move (Table S2: 20)
 */
public record AudioAugmentSettings(double volumeJitter, Standardization standardization, double fixedMean,
    double fixedStd, Optional<LogMelStatistics> datasetStatistics, int frequencyMasks, int frequencyMaskMax,
    int timeMasks, int timeMaskMax, boolean randomCrop, double cropVirtualScale, double cropMinScale,
    double cropMaxScale, boolean timeWarp, int timeWarpWindow) {

  /**
   * Dataset (the default): one mean and std for every view of a run, measured on its training data, under which
   * volume jitter shifts the whole view as Table S2 intends. Fixed: the same with the authors' constants (measured
   * on their data with another log offset). Per view (the default before): each spectrogram is brought to zero mean
   * and unit variance on its own, which needs no pass over a dataset, but also removes any overall gain, since a
   * gain g only shifts a log-mel by 2 ln g where the power is well above the log offset: under it volume jitter acts
   * only through the quietest bins.
   */
  public enum Standardization { DATASET, FIXED, VIEW }

  public AudioAugmentSettings {
    require(volumeJitter >= 0 && volumeJitter < 1, "volume jitter must be in [0, 1): " + volumeJitter);
    require(fixedStd > 0, "fixed std must be positive: " + fixedStd);
    require(datasetStatistics != null, "dataset statistics must be given or empty");
    require(frequencyMasks >= 0 && timeMasks >= 0, "mask counts must be non-negative");
    require(frequencyMaskMax >= 1 && timeMaskMax >= 1, "mask widths must be at least 1");
    require(cropVirtualScale >= 1, "virtual crop scale must be at least 1: " + cropVirtualScale);
    require(cropMinScale > 0 && cropMinScale <= cropMaxScale && cropMaxScale >= 1,
        "crop scales must satisfy 0 < min <= max and max >= 1: " + cropMinScale + ", " + cropMaxScale);
    require(timeWarpWindow >= 1, "time warp window must be at least 1: " + timeWarpWindow);
  }

  /** The keys that carry {@link #datasetStatistics} in a run's configuration; std 0 = not measured yet. */
  public static final String DATASET_MEAN = "audio.dataset-statistics.mean";
  public static final String DATASET_STD = "audio.dataset-statistics.std";

  public static AudioAugmentSettings from(Settings settings) {
    String a = "audio.augment.";
    double minScale = settings.real(a + "crop-min-scale", 1e-3, 100);
    double maxScale = settings.real(a + "crop-max-scale", Math.max(1.0, minScale), 100);
    Standardization standardization = Standardization.valueOf(settings.choice("audio.standardize",
        Set.of("dataset", "fixed", "view")).toUpperCase(Locale.ROOT));
    double datasetMean = settings.real(DATASET_MEAN, -1e6, 1e6);
    double datasetStd = settings.real(DATASET_STD, 0, 1e6);
    Optional<LogMelStatistics> measured = datasetStd > 0
        ? Optional.of(new LogMelStatistics(datasetMean, datasetStd)) : Optional.empty();
    return new AudioAugmentSettings(settings.real(a + "volume-jitter", 0, 0.99), standardization,
        settings.real("audio.fixed-mean", -1e6, 1e6), settings.real("audio.fixed-std", 1e-9, 1e6), measured,
        settings.integer(a + "frequency-masks", 0, 100), settings.integer(a + "frequency-mask-max", 1, 10000),
        settings.integer(a + "time-masks", 0, 100), settings.integer(a + "time-mask-max", 1, 100000),
        settings.bool(a + "random-crop"), settings.real(a + "crop-virtual-scale", 1.0, 100), minScale, maxScale,
        settings.bool(a + "time-warp"), settings.integer(a + "time-warp-window", 1, 100000));
  }

  /** Test clips (Appendix E.1: no augmentation during validation): log-mel and standardisation only. */
  public AudioAugmentSettings evaluation() {
    return new AudioAugmentSettings(0, standardization, fixedMean, fixedStd, datasetStatistics, 0, frequencyMaskMax,
        0, timeMaskMax, false, cropVirtualScale, cropMinScale, cropMaxScale, false, timeWarpWindow);
  }

  /** The same chain with time warp on or off (Appendix E.1: it helps linear evaluation, not pretraining). */
  public AudioAugmentSettings withTimeWarp(boolean enabled) {
    return new AudioAugmentSettings(volumeJitter, standardization, fixedMean, fixedStd, datasetStatistics,
        frequencyMasks, frequencyMaskMax, timeMasks, timeMaskMax, randomCrop, cropVirtualScale, cropMinScale,
        cropMaxScale, enabled, timeWarpWindow);
  }

  public AudioAugmentSettings withStandardization(Standardization mode) {
    return new AudioAugmentSettings(volumeJitter, mode, fixedMean, fixedStd, datasetStatistics, frequencyMasks,
        frequencyMaskMax, timeMasks, timeMaskMax, randomCrop, cropVirtualScale, cropMinScale, cropMaxScale,
        timeWarp, timeWarpWindow);
  }

  /** The steps named false are turned off, the others kept as configured; for tests and ablations (Table 5). */
  public AudioAugmentSettings only(boolean volume, boolean masks, boolean crop, boolean warp) {
    return new AudioAugmentSettings(volume ? volumeJitter : 0, standardization, fixedMean, fixedStd,
        datasetStatistics, masks ? frequencyMasks : 0, frequencyMaskMax, masks ? timeMasks : 0, timeMaskMax,
        crop && randomCrop, cropVirtualScale, cropMinScale, cropMaxScale, warp && timeWarp, timeWarpWindow);
  }

  /** The same chain standardised with the training data's measured statistics. */
  public AudioAugmentSettings withDatasetStatistics(LogMelStatistics statistics) {
    return new AudioAugmentSettings(volumeJitter, standardization, fixedMean, fixedStd, Optional.of(statistics),
        frequencyMasks, frequencyMaskMax, timeMasks, timeMaskMax, randomCrop, cropVirtualScale, cropMinScale,
        cropMaxScale, timeWarp, timeWarpWindow);
  }

  /** Whether the chain standardises with dataset statistics that have not been measured yet. */
  public boolean awaitsDatasetStatistics() {
    return standardization == Standardization.DATASET && datasetStatistics.isEmpty();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
