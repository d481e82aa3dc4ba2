package crisscross.evaluation.report;

/** The evaluation protocol behind a result. */
public enum Protocol {
  /** Linear SVM on frozen features, trained on the training split, scored on the test split (Appendix E.1). */
  LINEAR_SVM("linear-svm", "linear SVM"),
  /** Linear SVM evaluated by grouped k-fold cross-validation over one labelled set (a single ESC-50 fold). */
  LINEAR_SVM_GROUPED_CV("linear-svm-grouped-cv", "linear SVM, grouped CV"),
  /**
   * Linear SVM on each official split of a dataset (UCF101/HMDB51 splits 1-3, ESC-50 folds 1-5), top-1 averaged
   * over the splits (§4.6: "we report the top-1 accuracies averaged over all the splits").
   */
  LINEAR_SVM_SPLITS("linear-svm-splits", "linear SVM, mean over splits"),
  /** Nearest-neighbour retrieval of training samples by test samples (Table 7, Appendix E.3). */
  RETRIEVAL("retrieval", "retrieval"),
  /** Full finetuning of the video backbone with a new linear layer (Appendix E.2, Table S11). */
  FINETUNE("finetune", "full finetuning");

  private final String id;
  private final String title;

  Protocol(String id, String title) {
    this.id = id;
    this.title = title;
  }

  /** Name in {@code report.json}. */
  public String id() {
    return id;
  }

  /** Name in {@code report.md}. */
  public String title() {
    return title;
  }
}
