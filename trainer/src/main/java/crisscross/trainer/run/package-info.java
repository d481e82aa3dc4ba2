/**
 * A pretraining run assembled from configuration: the method and backend behind the trainer actor's engine
 * interface, the pipeline's sample loader and batch streams, checkpoint store, monitor and actor system.
 */
package crisscross.trainer.run;
