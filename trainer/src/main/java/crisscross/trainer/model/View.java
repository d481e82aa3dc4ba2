package crisscross.trainer.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One augmented clip a method trains on: the {@code clip}-th (1-based) clip of a modality in a sample. §3's four
 * views are {@link #V1}, {@link #V2} (two video clips at times t1, t2) and {@link #A1}, {@link #A2}.
 */
public record View(Modality modality, int clip) implements Comparable<View> {
  public static final View V1 = new View(Modality.VIDEO, 1);
  public static final View V2 = new View(Modality.VIDEO, 2);
  public static final View A1 = new View(Modality.AUDIO, 1);
  public static final View A2 = new View(Modality.AUDIO, 2);

  public View {
    if (modality == null || clip < 1) {
      throw new IllegalArgumentException("a view needs a modality and a clip number from 1, got " + modality + " "
          + clip);
    }
  }

  /** Short name used in graph variable and golden file names ({@code v1}, {@code a2}). */
  public String key() {
    return (modality == Modality.VIDEO ? "v" : "a") + clip;
  }

  /** §3's four views in the order the reference runs its forwards: v1, v2, a1, a2. */
  public static List<View> values() {
    return List.of(V1, V2, A1, A2);
  }

  /** The first {@code clips} views of each of the given modalities, video first (v1, v2, a1, a2 for two). */
  public static List<View> of(Set<Modality> modalities, int clips) {
    List<View> views = new ArrayList<>();
    for (Modality m : Modality.values()) {
      if (modalities.contains(m)) {
        for (int clip = 1; clip <= clips; clip++) {
          views.add(new View(m, clip));
        }
      }
    }
    return List.copyOf(views);
  }

  /** Video before audio, then by clip: the order views are built and reported in. */
  @Override
  public int compareTo(View other) {
    int byModality = modality.compareTo(other.modality);
    return byModality != 0 ? byModality : Integer.compare(clip, other.clip);
  }

  @Override
  public String toString() {
    return key();
  }
}
