package crisscross.trainer.method.temporal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * InfoNCE with a queue of negatives and the sample-dependent extras, as graph fragments. Queries and keys are
 * l2-normalised [B, D] projections; row {@code i} of the keys is query {@code i}'s positive and the other rows are
 * its negatives, with every filled queue row, and the sample's own temporally transformed key where it has one.
 * With nearest-neighbour positives, the {@code k} queue rows most similar to the positive key (in the key's own
 * space, not differentiated) are positives too; the loss of a row is then the mean of -log softmax over its
 * positives (one positive: plain InfoNCE).
 */
final class ContrastiveLoss {
  /** Subtracted from a logit to take it out of the softmax (|logits| <= 1 / temperature <= 1e3). */
  static final double MASK = 1e6;

  private ContrastiveLoss() {}

  /** The queue's rows [Q, D] and which of them are filled [1, Q] (placeholders). */
  record Queue(SDVariable rows, SDVariable valid) {}

  /** A key [B, D] each sample has or not ({@code present} [B, 1] is 1 where it has). */
  record OwnNegative(SDVariable key, SDVariable present) {}

  /**
   * The mean over the batch of the InfoNCE loss of {@code query} against {@code keys}.
   *
   * @param identity [B, B] identity (the positives of the batch block)
   * @param nearest queue rows taken as extra positives per sample (0: none; needs a queue)
   */
  static SDVariable infoNce(SameDiff sd, SDVariable query, SDVariable keys, SDVariable identity,
      Optional<Queue> queue, Optional<OwnNegative> ownNegative, int nearest, double temperature) {
    double inverse = 1 / temperature;
    List<SDVariable> blocks = new ArrayList<>();
    SDVariable batch = sd.mmul(query, keys, false, true, false).mul(inverse);
    blocks.add(batch);
    SDVariable queueLogits = null;
    SDVariable queuePositives = null;
    if (queue.isPresent()) {
      Queue q = queue.get();
      queueLogits = sd.mmul(query, q.rows(), false, true, false).mul(inverse).sub(q.valid().rsub(1.0).mul(MASK));
      blocks.add(queueLogits);
      if (nearest > 0) {
        SDVariable similarity = new StopGradient(sd, sd.mmul(keys, q.rows(), false, true, false)).outputVariable();
        queuePositives = nearestMask(sd, similarity, q.valid(), nearest);
      }
    } else if (nearest > 0) {
      throw new IllegalArgumentException("nearest-neighbour positives are taken from a queue; there is none");
    }
    ownNegative.ifPresent(n -> blocks.add(
        query.mul(n.key()).sum(true, 1).mul(inverse).sub(n.present().rsub(1.0).mul(MASK))));
    SDVariable all = blocks.size() == 1 ? batch : sd.concat(1, blocks.toArray(SDVariable[]::new));
    SDVariable max = all.max(true, 1);
    SDVariable logPartition = max.add(sd.math().log(sd.math().exp(all.sub(max)).sum(true, 1)));
    SDVariable positiveLogProbability = batch.sub(logPartition).mul(identity).sum(true, 1);
    SDVariable positives = identity.sum(true, 1);
    if (queuePositives != null) {
      positiveLogProbability = positiveLogProbability.add(queueLogits.sub(logPartition).mul(queuePositives)
          .sum(true, 1));
      positives = positives.add(queuePositives.sum(true, 1));
    }
    return positiveLogProbability.div(positives).mean().neg();
  }

  /**
   * [B, Q]: 1 at the {@code k} largest filled entries of each row of {@code similarity} (fewer where fewer rows are
   * filled), 0 elsewhere; ties at the k-th value may add more. Built from k rounds of row max, as SameDiff 1.0.0-M2.1's
   * top-k cannot be reduced in a graph that is differentiated.
   */
  static SDVariable nearestMask(SameDiff sd, SDVariable similarity, SDVariable valid, int k) {
    SDVariable rest = similarity.sub(valid.rsub(1.0).mul(MASK));
    SDVariable mask = null;
    for (int round = 0; round < k; round++) {
      SDVariable hit = sd.gte(rest, rest.max(true, 1)).castTo(similarity.dataType()).mul(valid);
      if (mask != null) {
        hit = hit.mul(mask.rsub(1.0));
      }
      mask = mask == null ? hit : mask.add(hit);
      rest = rest.sub(hit.mul(MASK));
    }
    return mask;
  }
}
