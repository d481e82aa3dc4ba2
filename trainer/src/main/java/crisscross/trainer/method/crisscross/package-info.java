/**
 * CrissCross (Sarkar & Etemad, AAAI 2023): SimSiam heads per modality and the intra-, synchronous and asynchronous
 * cross-modal losses of §3 (Eq. 1-5), every row of Table 1 and Table 3's head variants.
 */
package crisscross.trainer.method.crisscross;
