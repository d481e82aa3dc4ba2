package crisscross.evaluation.report;

import crisscross.evaluation.linear.CrossValidatedResult;
import crisscross.evaluation.linear.LinearResult;
import crisscross.evaluation.retrieval.RetrievalResult;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One row of the report: a (dataset, protocol, modality, encoder kind) and its outcome, exactly one of
 * {@code linear}, {@code crossValidated} or {@code retrieval} according to the protocol.
 */
public record EvaluationResult(String dataset, Protocol protocol, Modality modality, EncoderKind encoder,
    Optional<LinearResult> linear, Optional<CrossValidatedResult> crossValidated,
    Optional<RetrievalResult> retrieval) {
  public EvaluationResult {
    if (dataset == null || dataset.isBlank()) {
      throw new IllegalArgumentException("a result needs a dataset name");
    }
    boolean consistent = switch (protocol) {
      case LINEAR_SVM -> linear.isPresent() && crossValidated.isEmpty() && retrieval.isEmpty();
      case LINEAR_SVM_GROUPED_CV -> crossValidated.isPresent() && linear.isEmpty() && retrieval.isEmpty();
      case RETRIEVAL -> retrieval.isPresent() && linear.isEmpty() && crossValidated.isEmpty();
    };
    if (!consistent) {
      throw new IllegalArgumentException("a " + protocol.id() + " result must carry exactly its own outcome");
    }
  }

  /** A linear SVM result; modality {@link Modality#AUDIO_VIDEO} for late fusion. */
  public static EvaluationResult linear(String dataset, Modality modality, EncoderKind encoder,
      LinearResult result) {
    return new EvaluationResult(dataset, Protocol.LINEAR_SVM, modality, encoder, Optional.of(result),
        Optional.empty(), Optional.empty());
  }

  public static EvaluationResult groupedCv(String dataset, Modality modality, EncoderKind encoder,
      CrossValidatedResult result) {
    return new EvaluationResult(dataset, Protocol.LINEAR_SVM_GROUPED_CV, modality, encoder, Optional.empty(),
        Optional.of(result), Optional.empty());
  }

  public static EvaluationResult retrieval(String dataset, Modality modality, EncoderKind encoder,
      RetrievalResult result) {
    return new EvaluationResult(dataset, Protocol.RETRIEVAL, modality, encoder, Optional.empty(), Optional.empty(),
        Optional.of(result));
  }

  /** Sample-level top-1 (mean over folds for grouped CV); empty for retrieval. */
  public OptionalDouble top1() {
    if (linear.isPresent()) {
      return OptionalDouble.of(linear.get().top1());
    }
    if (crossValidated.isPresent()) {
      return OptionalDouble.of(crossValidated.get().meanTop1());
    }
    return OptionalDouble.empty();
  }
}
