package crisscross.app;

import crisscross.pipeline.synth.CorpusSummary;
import crisscross.pipeline.synth.SynthSettings;
import crisscross.pipeline.synth.SyntheticCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crisscross synth}: generates the labelled synthetic audio-visual corpus (the embedded demo data). */
@Command(name = "synth", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Generate a labelled synthetic audio-visual corpus: H.264/AAC clips in one folder per class and "
        + "manifest.csv (path,label,split). Each class ties a moving, pulsing shape to a tone beating at the same "
        + "rate; position, size, background, volume and noise vary from clip to clip.",
        "The same options give the same files. An existing folder is only written into if it is empty or holds a "
        + "corpus generated before."})
final class SynthCommand implements Callable<Integer> {
  private static final SynthSettings DEFAULTS = SynthSettings.defaults();

  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the corpus into.")
  Path out;

  @Option(names = "--clips", paramLabel = "N", description = "Number of clips, spread evenly over the classes.")
  int clips = DEFAULTS.clips();

  @Option(names = "--classes", paramLabel = "K", description = "Number of classes (2-36).")
  int classes = DEFAULTS.classes();

  @Option(names = "--seconds", paramLabel = "S", description = "Length of each clip in seconds.")
  double seconds = DEFAULTS.seconds();

  @Option(names = "--seed", paramLabel = "X", description = "Seed of every random draw.")
  long seed = DEFAULTS.seed();

  @Option(names = "--width", paramLabel = "W", description = "Frame width in pixels (even).")
  int width = DEFAULTS.width();

  @Option(names = "--height", paramLabel = "H", description = "Frame height in pixels (even).")
  int height = DEFAULTS.height();

  @Option(names = "--fps", paramLabel = "F", description = "Frames per second.")
  int fps = DEFAULTS.fps();

  @Option(names = "--sample-rate", paramLabel = "HZ", description = "Audio samples per second.")
  int sampleRate = DEFAULTS.sampleRate();

  @Option(names = "--test-fraction", paramLabel = "P", description = "Share of each class in the test split.")
  double testFraction = DEFAULTS.testFraction();

  @Option(names = "--threads", paramLabel = "T", description = "Clips generated in parallel (0 = one per core).")
  int threads = DEFAULTS.threads();

  @Override
  public Integer call() {
    SynthSettings settings;
    try {
      settings = new SynthSettings(clips, classes, seconds, seed, width, height, fps, sampleRate, testFraction,
          threads);
    } catch (IllegalArgumentException e) {
      throw new UserError("synth: " + e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    CorpusSummary summary;
    try {
      summary = SyntheticCorpus.generate(settings, out, (done, total) -> {
        if (done == total || done % Math.max(1, total / 20) == 0) {
          synchronized (err) {
            err.printf("\rcrisscross synth: %d/%d clips", done, total);
            err.flush();
          }
        }
      });
    } catch (IOException e) {
      throw new UserError("synth: cannot write the corpus to " + out + ": " + e.getMessage(), e);
    }
    err.println();
    spec.commandLine().getOut().println("synth: " + summary.describe());
    spec.commandLine().getOut().println("synth: manifest " + summary.manifest());
    return 0;
  }
}
