package crisscross.trainer.run;

import crisscross.trainer.backend.Backend;

/** The backends this build has: ND4J on the CPU. */
public final class Backends {
  private static final Backend CPU = new Nd4jCpuBackend();

  private Backends() {}

  /** The backend runs and evaluations use. */
  public static Backend current() {
    return CPU;
  }
}
