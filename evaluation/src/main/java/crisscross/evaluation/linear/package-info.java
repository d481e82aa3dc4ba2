/**
 * Linear evaluation on frozen features (Appendix E.1): a one-vs-rest linear SVM (LIBLINEAR, as scikit-learn's
 * LinearSVC), its cost chosen by grouped cross-validation on the training split, sample-level top-1 by averaging
 * clip decision values, and late fusion of audio and video features (Table 2).
 */
package crisscross.evaluation.linear;
