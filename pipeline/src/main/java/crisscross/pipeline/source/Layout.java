package crisscross.pipeline.source;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** How a dataset's files, labels and splits are laid out ({@code data.layout}). */
public enum Layout {
  /** Detect from the files present; an error names the candidates when more than one fits. */
  AUTO,
  /** A tree of media files; first-level folders are classes, or splits holding class folders. */
  DIRECTORY,
  /** A CSV or JSONL list of {@code path}/{@code key}, optional {@code label}, {@code split}, {@code group}. */
  MANIFEST,
  /** Kinetics-400 / Kinetics-Sound: {@code train/<class>/*.mp4}, or the official CSV of YouTube segments. */
  KINETICS,
  /** UCF101: class folders and {@code ucfTrainTestlist/} (classInd, train/test lists of splits 1-3). */
  UCF101,
  /** HMDB51: class folders and {@code <class>_test_split<n>.txt} marks (1 train, 2 test, 0 unused). */
  HMDB51,
  /** ESC-50: {@code meta/esc50.csv} and {@code audio/}; {@code data.fold} is the fold held out as test. */
  ESC50,
  /** DCASE-style label lists ({@code filename<TAB or comma>label}) or file names prefixed with their class. */
  DCASE,
  /** AudioSet segment CSVs ({@code # YTID, start_seconds, end_seconds, positive_labels}). */
  AUDIOSET;

  /** Lower-case name as written in configuration. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Set<String> configNames() {
    return Arrays.stream(values()).map(Layout::configName).collect(Collectors.toUnmodifiableSet());
  }

  public static Layout fromConfigName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
