package crisscross.evaluation.report;

/** The evaluation protocol behind a result. */
public enum Protocol {
  /** Linear SVM on frozen features, trained on the training split, scored on the test split (Appendix E.1). */
  LINEAR_SVM("linear-svm", "linear SVM"),
  /** Linear SVM evaluated by grouped k-fold cross-validation over one labelled set (a single ESC-50 fold). */
  LINEAR_SVM_GROUPED_CV("linear-svm-grouped-cv", "linear SVM, grouped CV"),
  /** Nearest-neighbour retrieval of training samples by test samples (Table 7, Appendix E.3). */
  RETRIEVAL("retrieval", "retrieval");

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
