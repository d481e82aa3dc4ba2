/** The numerical backend behind the actors, checkpoints and evaluation ({@link crisscross.trainer.backend.Backend}). */
package crisscross.trainer.backend;
