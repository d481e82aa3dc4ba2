/**
 * Results as the paper presents them: one record per (dataset, protocol, modality, encoder kind), {@code report.md}
 * tables and {@code report.json}, and PNG figures drawn with Java2D (confusion matrix, accuracy vs cost, retrieval
 * sheets as Figures S1/S2).
 */
package crisscross.evaluation.report;
