package crisscross.evaluation.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The protocols {@code crisscross evaluate --protocol} runs (Appendix E). */
public enum EvaluationProtocol {
  /** Linear SVM on frozen features of each encoder the dataset evaluates (E.1, Tables 4 and 8). */
  LINEAR("linear"),
  /** Nearest-neighbour retrieval of training samples by test samples (E.3, Table 7). */
  RETRIEVAL("retrieval"),
  /** Linear SVM on concatenated audio and video features (E.1 "Multi-modal Fusion", Table 2). */
  FUSION("fusion"),
  /** Full finetuning of the video backbone with a new linear layer (E.2, Table 6). */
  FINETUNE("finetune");

  private final String id;

  EvaluationProtocol(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static EvaluationProtocol byName(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    for (EvaluationProtocol protocol : values()) {
      if (protocol.id.equals(key)) {
        return protocol;
      }
    }
    throw new IllegalArgumentException("unknown protocol '" + name + "'; known: " + names());
  }

  public static String names() {
    return Arrays.stream(values()).map(EvaluationProtocol::id).collect(Collectors.joining(", "));
  }
}
