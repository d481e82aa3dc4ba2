package crisscross.pipeline.synth;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@link SyntheticCorpus} wrote.
 *
 * @param root the corpus folder
 * @param manifest its {@code manifest.csv}
 * @param classes class labels, in class order (also the names of the clip folders)
 * @param bytes total size of the clips
 * @param seconds time taken to generate it (0 when an existing corpus was reused)
 */
public record CorpusSummary(Path root, Path manifest, SynthSettings settings, List<String> classes, int trainClips,
    int testClips, long bytes, double seconds) {
  public int clips() {
    return trainClips + testClips;
  }

  /** One line for logs and the command line. */
  public String describe() {
    return String.format(Locale.ROOT,
        "%d clips (%d train, %d test) in %d classes, %.1f s each at %dx%d %d fps, %.1f MB in %s%s", clips(),
        trainClips, testClips, classes.size(), settings.seconds(), settings.width(), settings.height(),
        settings.fps(), bytes / 1e6, root, seconds > 0 ? String.format(Locale.ROOT, " (%.1f s)", seconds) : "");
  }
}
