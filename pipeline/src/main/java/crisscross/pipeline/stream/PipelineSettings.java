package crisscross.pipeline.stream;

import crisscross.pipeline.audio.AudioSettings;
import crisscross.pipeline.augment.AudioAugmentSettings;
import crisscross.pipeline.augment.VideoAugmentSettings;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.decode.DecodeSettings;
import crisscross.pipeline.sample.SamplingSettings;
import crisscross.pipeline.source.DataSettings;

/**
 * Every pipeline stage's settings, parsed once and validated together at load: what the data feed of a run, the
 * {@code inspect} and {@code bench pipeline} commands build their stages from.
 *
 * @param workers parallel sample loads, {@code pipeline.workers} with 0 resolved to this machine's cores
 */
public record PipelineSettings(DataSettings data, DecodeSettings decode, SamplingSettings sampling,
    VideoAugmentSettings video, AudioSettings audio, AudioAugmentSettings audioAugment, int batchSize, int workers,
    int bufferBatches, long runSeed) {

  public static PipelineSettings from(Settings settings) {
    return new PipelineSettings(DataSettings.from(settings), DecodeSettings.from(settings),
        SamplingSettings.from(settings), VideoAugmentSettings.from(settings), AudioSettings.from(settings),
        AudioAugmentSettings.from(settings), StreamSettings.batchSize(settings), StreamSettings.workers(settings),
        StreamSettings.bufferBatches(settings), settings.runSeed());
  }

}
