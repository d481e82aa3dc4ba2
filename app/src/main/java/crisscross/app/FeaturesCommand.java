package crisscross.app;

import crisscross.pipeline.audio.AudioSettings;
import crisscross.pipeline.audio.LogMel;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.decode.ClipDecoder;
import crisscross.pipeline.decode.DecodeResult;
import crisscross.pipeline.decode.DecodeSettings;
import crisscross.pipeline.io.Npy;
import crisscross.pipeline.io.NpyArray;
import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.Spectrogram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crisscross features ...}: features computed the way the trainer computes them. */
@Command(name = "features", mixinStandardHelpOptions = true, description = "Compute features of a media file.",
    subcommands = FeaturesCommand.Mel.class)
final class FeaturesCommand {

  /** {@code crisscross features mel --in FILE --out FILE.npy}. */
  @Command(name = "mel", mixinStandardHelpOptions = true,
      description = {"The log-mel of an audio or video file's audio track (whole length, 16 kHz mono) as the "
          + "trainer sees it before normalisation and augmentation: ln(mel_power + 1e-6), float32, shape "
          + "[bands, frames], librosa's defaults (n_fft 1024, hop 160, 80 Slaney bands, Hann, centred, zero padding)."})
  static final class Mel implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "Audio or video file.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Where to write the .npy.")
    Path output;

    @Mixin ConfigOptions config;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(input)) {
        throw new UserError("--in: '" + input + "' is not a file");
      }
      Settings settings = config.load(null);
      AudioSettings audio = AudioSettings.from(settings);
      DecodeResult result = new ClipDecoder(DecodeSettings.from(settings)).decodeAudio(input);
      if (result instanceof DecodeResult.Skipped skipped) {
        throw new UserError("cannot read the audio of '" + input + "': " + skipped.reason().label() + ": "
            + skipped.detail());
      }
      AudioSamples samples = ((DecodeResult.Decoded) result).audio().orElseThrow();
      Spectrogram mel = new LogMel(audio).compute(samples.samples());
      Npy.write(output, NpyArray.float32(new long[] {mel.bands(), mel.frames()}, mel.values()));
      System.err.printf("crisscross features mel: %s -> %s [%d bands, %d frames] (%.2f s of audio)%n", input,
          output, mel.bands(), mel.frames(), samples.durationSeconds());
      return 0;
    }
  }
}
