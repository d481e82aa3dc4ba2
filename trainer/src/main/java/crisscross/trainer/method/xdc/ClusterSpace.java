package crisscross.trainer.method.xdc;

import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import java.util.List;

/** The features a clustering runs on: one modality's, or both concatenated (each l2-normalised first). */
public enum ClusterSpace {
  VIDEO("video", "v", List.of(Modality.VIDEO)),
  AUDIO("audio", "a", List.of(Modality.AUDIO)),
  JOINT("joint", "j", List.of(Modality.VIDEO, Modality.AUDIO));

  private final String id;
  private final String letter;
  private final List<Modality> modalities;

  ClusterSpace(String id, String letter, List<Modality> modalities) {
    this.id = id;
    this.letter = letter;
    this.modalities = modalities;
  }

  public String id() {
    return id;
  }

  /** One letter for term labels ({@code L_v_on_a}). */
  public String letter() {
    return letter;
  }

  public List<Modality> modalities() {
    return modalities;
  }

  /** Width of this space's feature rows: the last conv block's channels of each of its modalities, summed. */
  public int featureWidth(ModelSettings model) {
    int width = 0;
    for (Modality m : modalities) {
      width += model.channels(m)[3];
    }
    return width;
  }
}
