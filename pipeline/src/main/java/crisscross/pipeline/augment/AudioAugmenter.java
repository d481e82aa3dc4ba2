package crisscross.pipeline.augment;

import crisscross.pipeline.audio.AudioSettings;
import crisscross.pipeline.audio.LogMel;
import crisscross.pipeline.augment.AudioAugmentSettings.Standardization;
import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.Spectrogram;
import crisscross.pipeline.random.SampleRandom;

/**
 * Turns the waveform of one audio view into the encoder's input, {@code float[1][bands][outputFrames]} (80 x
 * 200 for 2 s, §4.1), through Table S2's chain in the authors' order: volume jitter (gain
 * {@code 1 + U(-v, v)} on the waveform), log-mel (the first {@code outputFrames} of its {@code 1 + n / hop}
 * frames), standardisation (see {@link Standardization}), time warp if enabled, frequency masks, time masks
 * (each filled with the spectrogram's mean), random resize crop.
 *
 * <p>Immutable and thread-safe; the log-mel tables are built once in the constructor.
 */
public final class AudioAugmenter {
  private final AudioSettings audio;
  private final AudioAugmentSettings settings;
  private final LogMel logMel;

  /**
   * @throws IllegalArgumentException when {@code settings} standardise with dataset statistics not yet measured
   */
  public AudioAugmenter(AudioSettings audio, AudioAugmentSettings settings) {
    if (settings.awaitsDatasetStatistics()) {
      throw new IllegalArgumentException("audio.standardize = dataset needs the training data's log-mel statistics ("
          + AudioAugmentSettings.DATASET_MEAN + ", " + AudioAugmentSettings.DATASET_STD + "), which pretrain "
          + "measures at start and stores in the run's configuration; none are given");
    }
    this.audio = audio;
    this.settings = settings;
    this.logMel = new LogMel(audio);
  }

  public AudioSettings audioSettings() {
    return audio;
  }

  public AudioAugmentSettings settings() {
    return settings;
  }

  /** The view's samples, which must be at the frontend's sample rate. */
  public float[] apply(AudioSamples view, SampleRandom random) {
    if (view.sampleRate() != audio.sampleRate()) {
      throw new IllegalArgumentException("audio at " + view.sampleRate() + " Hz given to a frontend for "
          + audio.sampleRate() + " Hz");
    }
    return apply(view.samples(), random);
  }

  /**
   * The augmented log-mel of {@code waveform}: {@code float[bands * outputFrames]}, row-major
   * {@code [band][frame]}. Draws from a fork of {@code random}, which is not advanced.
   */
  public float[] apply(float[] waveform, SampleRandom random) {
    int bands = audio.melBands();
    int frames = audio.outputFrames();
    if (audio.frameCount(waveform.length) < frames) {
      throw new IllegalArgumentException("an audio view of " + waveform.length + " samples gives "
          + audio.frameCount(waveform.length) + " frames, fewer than the " + frames + " the encoder takes");
    }
    SampleRandom draws = random.fork("audio.augment");
    double gain = settings.volumeJitter() > 0
        ? 1 + draws.uniform(-settings.volumeJitter(), settings.volumeJitter()) : 1.0;
    Spectrogram spectrogram = logMel.compute(waveform, gain, frames);
    float[] spec = spectrogram.values();
    standardize(spec);
    if (settings.timeWarp()) {
      SpecAugment.Warp warp = SpecAugment.drawWarp(frames, settings.timeWarpWindow(), draws);
      if (warp != null) {
        spec = SpecAugment.applyWarp(spec, bands, frames, warp);
      }
    }
    if (settings.frequencyMasks() > 0) {
      SpecAugment.applyMasks(spec, bands, frames, true, SpecAugment.drawMasks(bands, settings.frequencyMasks(),
          settings.frequencyMaskMax(), draws));
    }
    if (settings.timeMasks() > 0) {
      SpecAugment.applyMasks(spec, bands, frames, false, SpecAugment.drawMasks(frames, settings.timeMasks(),
          settings.timeMaskMax(), draws));
    }
    if (settings.randomCrop()) {
      RandomResizeCrop.Crop crop = RandomResizeCrop.draw(bands, frames, settings.cropVirtualScale(),
          settings.cropMinScale(), settings.cropMaxScale(), draws);
      spec = RandomResizeCrop.apply(spec, bands, frames, crop);
    }
    return spec;
  }

  /**
   * {@code (x - mean) / std} with the dataset's or the authors' statistics, or with the view's own (zero mean and
   * unit population variance over the whole view; a constant view, digital silence, has no scale to divide by and
   * becomes all zeros).
   */
  private void standardize(float[] spec) {
    double mean;
    double std;
    if (settings.standardization() == Standardization.DATASET) {
      mean = settings.datasetStatistics().orElseThrow().mean();
      std = settings.datasetStatistics().orElseThrow().std();
    } else if (settings.standardization() == Standardization.FIXED) {
      mean = settings.fixedMean();
      std = settings.fixedStd();
    } else {
      mean = SpecAugment.mean(spec);
      double squares = 0;
      for (float v : spec) {
        squares += (v - mean) * (v - mean);
      }
      std = Math.sqrt(squares / spec.length);
    }
    float m = (float) mean;
    float inverse = std > 1e-6 ? (float) (1 / std) : 0f;
    for (int i = 0; i < spec.length; i++) {
      spec[i] = (spec[i] - m) * inverse;
    }
  }
}
