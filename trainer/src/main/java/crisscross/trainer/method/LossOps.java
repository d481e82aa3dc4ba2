package crisscross.trainer.method;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Graph fragments the methods' losses share. */
public final class LossOps {
  /** F.normalize's lower clamp of the norm. */
  public static final double NORM_EPSILON = 1e-12;

  private LossOps() {}

  /** Each row divided by its l2 norm (at least {@link #NORM_EPSILON}). */
  public static SDVariable l2Normalize(SameDiff sd, SDVariable z) {
    return z.div(sd.scalarMax(z.norm2(true, 1), NORM_EPSILON));
  }

  /**
   * log softmax over the last axis of [B, k] logits as x - max - log(sum(exp(x - max))): SameDiff 1.0.0-M2.1 cannot
   * clone its own LogSoftMax op when it builds the gradient function.
   */
  public static SDVariable logSoftmax(SameDiff sd, SDVariable logits) {
    SDVariable shifted = logits.sub(logits.max(true, 1));
    return shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, 1)));
  }

  /**
   * Cross-entropy of [B, k] logits against [B, k] targets whose rows are one-hot or zero (a sample without a label),
   * averaged over the labelled samples: -sum(target * log softmax) / max(1, labelled).
   */
  public static SDVariable crossEntropy(SameDiff sd, SDVariable logits, SDVariable targets) {
    SDVariable labelled = sd.scalarMax(targets.sum(), 1.0);
    return logSoftmax(sd, logits).mul(targets).sum().neg().div(labelled);
  }

  /**
   * The fraction of labelled samples whose largest logit is their target's class (not differentiated; a
   * diagnostic): sum(target * [logit = row max]) / max(1, labelled).
   */
  public static SDVariable accuracy(SameDiff sd, SDVariable logits, SDVariable targets) {
    SDVariable predicted = sd.gte(logits, logits.max(true, 1)).castTo(logits.dataType());
    return predicted.mul(targets).sum().div(sd.scalarMax(targets.sum(), 1.0));
  }
}
