/**
 * Full finetuning (Appendix E.2): the video backbone with a new linear layer trained end to end by SGD with a
 * multi-step schedule (Table S11), tested by averaging the scores of 10 clean clips per sample.
 */
package crisscross.evaluation.finetune;
