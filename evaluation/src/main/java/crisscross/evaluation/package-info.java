/**
 * Weights to numbers: the paper's downstream evaluation protocols (Appendix E: linear SVM, late fusion, retrieval,
 * full finetuning), their settings and reports. Subpackages follow the journey: encoder (a checkpoint's backbones
 * and the random-init floor), extract (clips to frozen features), features, split, linear, retrieval, finetune,
 * cache, report, and run (the protocols on named datasets, as {@code crisscross evaluate} runs them).
 */
package crisscross.evaluation;
