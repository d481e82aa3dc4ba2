/**
 * Retrieval (Table 7, Appendix E.3): test samples query training samples by cosine similarity of their
 * clip-averaged features; recall at k.
 */
package crisscross.evaluation.retrieval;
