package crisscross.pipeline.statistics;

import com.typesafe.config.ConfigValueFactory;
import crisscross.pipeline.audio.LogMel;
import crisscross.pipeline.audio.LogMelStatistics;
import crisscross.pipeline.augment.AudioAugmentSettings;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.decode.ClipDecoder;
import crisscross.pipeline.decode.DecodePlan;
import crisscross.pipeline.decode.DecodeRequest;
import crisscross.pipeline.decode.DecodeResult;
import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.FetchFailedException;
import crisscross.pipeline.source.LocalMedia;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import crisscross.pipeline.stream.PipelineSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Measures the log-mel statistics of {@code audio.standardize = dataset}: the mean and std over one unaugmented
 * audio view (gain 1, {@code sampling.audio-view-seconds} long, the encoder's {@code audio.output-frames}) of each of
 * {@code audio.dataset-statistics.clips} training clips. The clips are the first of a shuffle of the samples seeded by
 * {@code run.seed}, each view placed uniformly in its clip by a generator forked from the same seed and the sample's
 * index, so a run measures the same numbers every time it starts on the same data; clips that cannot be fetched or
 * decoded, have no audio, or are shorter than a view are passed over for the next ones in the shuffle.
 */
public final class DatasetAudioStatistics {
  /** The run directory's record of the measured statistics. */
  public static final String FILE = "audio-statistics.json";

  private final PipelineSettings pipeline;
  private final int clips;

  private DatasetAudioStatistics(PipelineSettings pipeline, int clips) {
    this.pipeline = pipeline;
    this.clips = clips;
  }

  /** The measurement {@code settings} configure. */
  public static DatasetAudioStatistics from(Settings settings) {
    return new DatasetAudioStatistics(PipelineSettings.from(settings),
        settings.integer("audio.dataset-statistics.clips", 1, 1_000_000));
  }

  /** Whether {@code settings} standardise audio with dataset statistics that are not given yet. */
  public static boolean needed(Settings settings) {
    return AudioAugmentSettings.from(settings).awaitsDatasetStatistics();
  }

  /** {@code settings} with {@code statistics} as the run's dataset statistics, as its checkpoints will store them. */
  public static Settings withStatistics(Settings settings, LogMelStatistics statistics, String origin) {
    return new Settings(settings.config()
        .withValue(AudioAugmentSettings.DATASET_MEAN, ConfigValueFactory.fromAnyRef(statistics.mean(), origin))
        .withValue(AudioAugmentSettings.DATASET_STD, ConfigValueFactory.fromAnyRef(statistics.std(), origin)));
  }

  /**
   * {@code settings} with the dataset statistics measured on {@code samples} when they need them (otherwise
   * {@code settings} itself), for the commands that load training samples outside a pretraining run.
   */
  public static Settings resolve(Settings settings, List<SampleRef> samples, MediaStore media) {
    if (!needed(settings)) {
      return settings;
    }
    return withStatistics(settings, from(settings).measure(samples, media), "measured on " + samples.size()
        + " samples");
  }

  /**
   * The statistics of the chosen clips of {@code samples}.
   *
   * @throws IllegalStateException when not one of the samples gives an audio view
   */
  public LogMelStatistics measure(List<SampleRef> samples, MediaStore media) {
    SampleRandom random = SampleRandom.of(pipeline.runSeed()).fork("audio.dataset-statistics");
    int[] order = new int[samples.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    random.shuffle(order);
    ClipDecoder decoder = new ClipDecoder(pipeline.decode());
    LogMel logMel = new LogMel(pipeline.audio());
    LogMelStatistics.Accumulator accumulator = new LogMelStatistics.Accumulator();
    for (int i = 0; i < order.length && accumulator.spectrograms() < clips; i++) {
      SampleRef sample = samples.get(order[i]);
      float[] view = decodeView(sample, media, decoder, random.fork(sample.index()));
      if (view != null) {
        accumulator.add(logMel.compute(view, 1.0, pipeline.audio().outputFrames()).values());
      }
    }
    if (accumulator.spectrograms() == 0) {
      throw new IllegalStateException("audio.standardize = dataset: none of the " + samples.size() + " training "
          + "samples gives an audio view of " + pipeline.sampling().audioViewSamples() + " samples to measure the "
          + "log-mel statistics on");
    }
    return accumulator.result();
  }

  /** One view's samples, or null when the sample gives none. */
  private float[] decodeView(SampleRef sample, MediaStore media, ClipDecoder decoder, SampleRandom random) {
    int viewSamples = pipeline.sampling().audioViewSamples();
    int rate = pipeline.sampling().audioSampleRate();
    DecodeResult result;
    try (LocalMedia local = media.fetch(sample)) {
      result = decoder.decode(local.path(), info -> {
        if (!info.hasAudio()) {
          return DecodePlan.skip(SkipReason.NO_AUDIO, "no audio stream");
        }
        long available = (long) Math.floor(info.usableSeconds(false, true) * rate + 1e-6);
        if (available < viewSamples) {
          return DecodePlan.skip(SkipReason.TOO_SHORT, "shorter than one audio view");
        }
        long span = available - viewSamples + 1;
        long start = span <= Integer.MAX_VALUE ? random.nextInt((int) span) : Math.floorMod(random.nextLong(), span);
        return DecodeRequest.audio(start, viewSamples);
      });
    } catch (FetchFailedException e) {
      return null;
    }
    if (result instanceof DecodeResult.Decoded decoded) {
      return decoded.audio().map(AudioSamples::samples).orElse(null);
    }
    return null;
  }

  /** Writes {@code statistics} to {@code runDirectory}/{@value #FILE} (replacing the file at once). */
  public static Path write(Path runDirectory, LogMelStatistics statistics, int clips, long seed) throws IOException {
    Files.createDirectories(runDirectory);
    Path file = runDirectory.resolve(FILE);
    Path partial = runDirectory.resolve(FILE + ".partial");
    String json = String.format(Locale.ROOT, "{\"mean\": %s, \"std\": %s, \"clips\": %d, \"seed\": %d}%n",
        Double.toString(statistics.mean()), Double.toString(statistics.std()), clips, seed);
    Files.writeString(partial, json, StandardCharsets.UTF_8);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  public int clips() {
    return clips;
  }
}
