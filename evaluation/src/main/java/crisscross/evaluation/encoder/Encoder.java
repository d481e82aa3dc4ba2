package crisscross.evaluation.encoder;

import crisscross.evaluation.report.EncoderKind;
import crisscross.trainer.model.CrissCrossModel;
import crisscross.trainer.model.Modality;
import java.util.Set;

/**
 * A model whose backbones give the features, with what identifies its weights.
 *
 * @param hash identifies the weights for feature caches: {@code checkpoint:<sha256>} of the parameters and BN
 *     buffers, or {@code random-init:<sha256>} of the architecture, objective and seed
 * @param description one line for reports (checkpoint location and step, or the seed)
 */
public record Encoder(EncoderKind kind, CrissCrossModel model, String hash, String description) {
  public Set<Modality> modalities() {
    return model.modalities();
  }
}
