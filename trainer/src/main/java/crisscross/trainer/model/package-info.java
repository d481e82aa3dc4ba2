/**
 * Networks on SameDiff: R(2+1)D-18 video and ResNet-18 audio backbones (Appendix F, Tables S5-S6), the training
 * graph that places a method's heads on them, batch normalisation with running statistics, the Java kernels, and
 * parameters by PyTorch name.
 */
package crisscross.trainer.model;
