package crisscross.trainer.model;

import java.util.EnumSet;
import java.util.Set;

/** The four augmented views of §3: two video clips and two audio segments, sampled at times t1 and t2. */
public enum View {
  V1(Modality.VIDEO, "v1"),
  V2(Modality.VIDEO, "v2"),
  A1(Modality.AUDIO, "a1"),
  A2(Modality.AUDIO, "a2");

  private final Modality modality;
  private final String key;

  View(Modality modality, String key) {
    this.modality = modality;
    this.key = key;
  }

  public Modality modality() {
    return modality;
  }

  /** Short name used in graph variable and golden file names ({@code v1}, {@code a2}). */
  public String key() {
    return key;
  }

  /** The views of the given modalities, in the order the reference runs its forwards (v1, v2, a1, a2). */
  public static Set<View> of(Set<Modality> modalities) {
    EnumSet<View> views = EnumSet.noneOf(View.class);
    for (View view : values()) {
      if (modalities.contains(view.modality)) {
        views.add(view);
      }
    }
    return views;
  }
}
