/**
 * The encoders an evaluation compares: a checkpoint's frozen backbones and the same architecture at its random
 * initialisation (the floor), rebuilt from the checkpoint's own configuration.
 */
package crisscross.evaluation.encoder;
