/**
 * Weights users can take elsewhere: the safetensors file format, the export of a checkpoint's backbones (and heads)
 * in PyTorch's names and layouts with a description of their inputs, and pretraining from such a file.
 */
package crisscross.trainer.export;
