package crisscross.evaluation.encoder;

import crisscross.evaluation.report.EncoderKind;
import crisscross.trainer.model.Encoders;
import crisscross.trainer.model.Modality;
import java.util.Set;

/**
 * Backbones that give the features, with what identifies their weights.
 *
 * @param method the method and variant that trained them, for messages ({@code crisscross (sync+async)})
 * @param hash identifies the weights for feature caches: {@code checkpoint:<sha256>} of the parameters and BN
 *     buffers, or {@code random-init:<sha256>} of the backbones and seed
 * @param description one line for reports (checkpoint location and step, or the seed)
 */
public record Encoder(EncoderKind kind, Encoders model, String method, String hash, String description) {
  public Set<Modality> modalities() {
    return model.modalities();
  }
}
