/** Java-side access to ND4J arrays' native buffers, for the kernels that run in Java (batch norm, the optimiser). */
package crisscross.trainer.host;
