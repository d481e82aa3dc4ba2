package crisscross.evaluation.run;

import crisscross.pipeline.source.Layout;
import crisscross.trainer.model.Modality;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The downstream datasets of §4.6-4.7 and Appendix C.2 by the names the command line takes: how each is laid out,
 * which encoders it evaluates, and which official splits it has.
 */
public enum DatasetKind {
  /** Sound classification, 5 folds (Table 4, 8); a single fold present is evaluated by grouped cross-validation. */
  ESC50("esc50", "ESC-50", Layout.ESC50, EnumSet.of(Modality.AUDIO), List.of(1, 2, 3, 4, 5), "fold"),
  /** Sound classification (DCASE 2014, Table 8): its fold lists when present, else grouped cross-validation. */
  DCASE("dcase", "DCASE", Layout.DCASE, EnumSet.of(Modality.AUDIO), List.of(1, 2, 3, 4, 5), "fold"),
  /** Action recognition and retrieval, official splits 1-3 (Tables 4, 6, 7). */
  UCF101("ucf101", "UCF101", Layout.UCF101, EnumSet.of(Modality.VIDEO), List.of(1, 2, 3), "split"),
  /** Action recognition and retrieval, official splits 1-3 (Tables 4, 6, 7). */
  HMDB51("hmdb51", "HMDB51", Layout.HMDB51, EnumSet.of(Modality.VIDEO), List.of(1, 2, 3), "split"),
  /** Audio-visual actions (Table 2: audio, video and late fusion); validation split as test. */
  KINETICS_SOUND("kinetics-sound", "Kinetics-Sound", Layout.KINETICS, EnumSet.of(Modality.AUDIO, Modality.VIDEO),
      List.of(), "split"),
  /** Action recognition (Table 4: video); validation split as test. */
  KINETICS400("kinetics400", "Kinetics400", Layout.KINETICS, EnumSet.of(Modality.VIDEO), List.of(), "split"),
  /** The corpus of {@code crisscross synth} (a manifest with train/test splits): audio, video and fusion. */
  SYNTHETIC("synthetic", "Synthetic", Layout.AUTO, EnumSet.of(Modality.AUDIO, Modality.VIDEO), List.of(), "split"),
  /** Any manifest (.csv/.jsonl) with labels and splits: audio and video. */
  MANIFEST("manifest", "Manifest", Layout.MANIFEST, EnumSet.of(Modality.AUDIO, Modality.VIDEO), List.of(), "split"),
  /** Any folder of class folders (optionally inside split folders): audio and video. */
  DIRECTORY("directory", "Directory", Layout.DIRECTORY, EnumSet.of(Modality.AUDIO, Modality.VIDEO), List.of(),
      "split");

  private final String id;
  private final String title;
  private final Layout layout;
  private final Set<Modality> modalities;
  private final List<Integer> folds;
  private final String foldWord;

  DatasetKind(String id, String title, Layout layout, Set<Modality> modalities, List<Integer> folds,
      String foldWord) {
    this.id = id;
    this.title = title;
    this.layout = layout;
    this.modalities = Set.copyOf(modalities);
    this.folds = folds;
    this.foldWord = foldWord;
  }

  /** Name on the command line ({@code --dataset esc50=PATH}). */
  public String id() {
    return id;
  }

  /** Name in reports, as the paper writes it. */
  public String title() {
    return title;
  }

  public Layout layout() {
    return layout;
  }

  /** The encoders the dataset evaluates (ESC-50: audio; UCF101: video; Kinetics-Sound: both). */
  public Set<Modality> modalities() {
    return modalities;
  }

  /** Official splits ({@code data.fold} values) to try, in order; empty = the configured {@code data.fold} only. */
  public List<Integer> folds() {
    return folds;
  }

  /** "fold 4", "split 1". */
  public String splitName(int fold) {
    return foldWord + " " + fold;
  }

  /** The kind named {@code name} (case-insensitive; "esc-50" and "demo" are accepted too). */
  public static DatasetKind byName(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    key = switch (key) {
      case "esc-50" -> "esc50";
      case "demo", "synth" -> "synthetic";
      case "kinetics-400", "k400" -> "kinetics400";
      case "ks", "kineticssound" -> "kinetics-sound";
      default -> key;
    };
    for (DatasetKind kind : values()) {
      if (kind.id.equals(key)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + names());
  }

  public static String names() {
    return Arrays.stream(values()).map(DatasetKind::id).collect(Collectors.joining(", "));
  }
}
