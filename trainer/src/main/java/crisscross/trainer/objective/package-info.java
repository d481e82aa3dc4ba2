/**
 * Self-supervised objectives as SameDiff loss graphs: the SimSiam cosine distance with stop-gradient (Eq. 1) and
 * every CrissCross variant of Table 1 (Eq. 2-5), chosen by name; the collapse indicator.
 */
package crisscross.trainer.objective;
