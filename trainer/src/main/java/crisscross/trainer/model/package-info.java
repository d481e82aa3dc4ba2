/**
 * The CrissCross networks on SameDiff: R(2+1)D-18 video and ResNet-18 audio backbones, projector and predictor
 * heads (Appendix F, Tables S5-S8), batch normalisation with running statistics, parameters by PyTorch name.
 */
package crisscross.trainer.model;
