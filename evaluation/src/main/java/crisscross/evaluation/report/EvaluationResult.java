package crisscross.evaluation.report;

import crisscross.evaluation.finetune.FinetuneResult;
import crisscross.evaluation.linear.CrossValidatedResult;
import crisscross.evaluation.linear.LinearResult;
import crisscross.evaluation.retrieval.RetrievalResult;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One row of the report: a (dataset, protocol, modality, encoder kind) and its outcome, exactly one of
 * {@code linear}, {@code crossValidated} (grouped cross-validation, or the mean over official splits),
 * {@code retrieval} or {@code finetune} according to the protocol.
 */
public record EvaluationResult(String dataset, Protocol protocol, Modality modality, EncoderKind encoder,
    Optional<LinearResult> linear, Optional<CrossValidatedResult> crossValidated,
    Optional<RetrievalResult> retrieval, Optional<FinetuneResult> finetune) {
  public EvaluationResult {
    if (dataset == null || dataset.isBlank()) {
      throw new IllegalArgumentException("a result needs a dataset name");
    }
    int outcomes = (linear.isPresent() ? 1 : 0) + (crossValidated.isPresent() ? 1 : 0)
        + (retrieval.isPresent() ? 1 : 0) + (finetune.isPresent() ? 1 : 0);
    boolean own = switch (protocol) {
      case LINEAR_SVM -> linear.isPresent();
      case LINEAR_SVM_GROUPED_CV, LINEAR_SVM_SPLITS -> crossValidated.isPresent();
      case RETRIEVAL -> retrieval.isPresent();
      case FINETUNE -> finetune.isPresent();
    };
    if (!own || outcomes != 1) {
      throw new IllegalArgumentException("a " + protocol.id() + " result must carry exactly its own outcome");
    }
  }

  /** A result of a frozen-feature protocol (no finetuning outcome). */
  public EvaluationResult(String dataset, Protocol protocol, Modality modality, EncoderKind encoder,
      Optional<LinearResult> linear, Optional<CrossValidatedResult> crossValidated,
      Optional<RetrievalResult> retrieval) {
    this(dataset, protocol, modality, encoder, linear, crossValidated, retrieval, Optional.empty());
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

  /** Linear SVMs on each official split of a dataset, top-1 averaged over them. */
  public static EvaluationResult splits(String dataset, Modality modality, EncoderKind encoder,
      CrossValidatedResult result) {
    return new EvaluationResult(dataset, Protocol.LINEAR_SVM_SPLITS, modality, encoder, Optional.empty(),
        Optional.of(result), Optional.empty());
  }

  /** Full finetuning of the video backbone. */
  public static EvaluationResult finetune(String dataset, EncoderKind encoder, FinetuneResult result) {
    return new EvaluationResult(dataset, Protocol.FINETUNE, Modality.VIDEO, encoder, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.of(result));
  }

  public static EvaluationResult retrieval(String dataset, Modality modality, EncoderKind encoder,
      RetrievalResult result) {
    return new EvaluationResult(dataset, Protocol.RETRIEVAL, modality, encoder, Optional.empty(), Optional.empty(),
        Optional.of(result));
  }

  /** Sample-level top-1 (mean over folds or splits where there are several); empty for retrieval. */
  public OptionalDouble top1() {
    if (linear.isPresent()) {
      return OptionalDouble.of(linear.get().top1());
    }
    if (crossValidated.isPresent()) {
      return OptionalDouble.of(crossValidated.get().meanTop1());
    }
    if (finetune.isPresent()) {
      return OptionalDouble.of(finetune.get().meanTop1());
    }
    return OptionalDouble.empty();
  }
}
