package crisscross.evaluation.finetune;

import java.util.List;

/**
 * Full finetuning on one or more train/test splits (Appendix E.2: "we report the top-1 accuracy averaged over all
 * the splits").
 *
 * @param splits each split's run
 * @param meanTop1 mean of the splits' sample-level top-1
 * @param stdTop1 population standard deviation of the splits' top-1
 */
public record FinetuneResult(List<FinetuneSplit> splits, double meanTop1, double stdTop1) {
  public FinetuneResult {
    splits = List.copyOf(splits);
    if (splits.isEmpty()) {
      throw new IllegalArgumentException("a finetuning result needs at least one split");
    }
  }

  /** Mean and spread over the splits' runs. */
  public static FinetuneResult of(List<FinetuneSplit> splits) {
    double mean = splits.stream().mapToDouble(FinetuneSplit::top1).average().orElse(Double.NaN);
    double variance = splits.stream().mapToDouble(s -> (s.top1() - mean) * (s.top1() - mean)).average()
        .orElse(Double.NaN);
    return new FinetuneResult(splits, mean, Math.sqrt(variance));
  }

  /**
   * One finetuning run.
   *
   * @param name the split ("split 1", "fold 3", ...)
   * @param top1 sample-level top-1: class scores (softmax) averaged over each test sample's clips (E.2)
   * @param clipTop1 clip-level top-1, for comparison
   * @param epochs the training curve
   * @param confusion sample-level counts {@code [true class][predicted class]}
   */
  public record FinetuneSplit(String name, double top1, double clipTop1, List<Epoch> epochs, List<String> classNames,
      int[][] confusion, int trainSamples, int trainClips, int testSamples, int testClips) {
    public FinetuneSplit {
      epochs = List.copyOf(epochs);
      classNames = List.copyOf(classNames);
      int[][] copy = new int[confusion.length][];
      for (int i = 0; i < confusion.length; i++) {
        copy[i] = confusion[i].clone();
      }
      confusion = copy;
    }

    @Override
    public int[][] confusion() {
      int[][] copy = new int[confusion.length][];
      for (int i = 0; i < confusion.length; i++) {
        copy[i] = confusion[i].clone();
      }
      return copy;
    }
  }

  /**
   * One epoch of training.
   *
   * @param lr the multi-step schedule's rate in this epoch
   * @param meanLoss mean training cross-entropy of its steps (before each step's update)
   * @param steps SGD steps taken
   * @param clips training clips seen
   */
  public record Epoch(int epoch, double lr, double meanLoss, int steps, int clips) {}
}
