package crisscross.trainer.backend;

import crisscross.trainer.actor.TrainingEngine;
import crisscross.trainer.export.InitialWeights;
import crisscross.trainer.host.NativeKernels;
import crisscross.trainer.method.Method;
import crisscross.trainer.model.Encoders;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.optim.OptimSettings;
import java.util.Optional;
import java.util.Set;

/**
 * Where the numbers are computed: how a method's graph is built and differentiated, which kernels run it, how the
 * optimiser updates it. Actors see a backend's {@link TrainingEngine}s, checkpoints their snapshots, evaluation its
 * {@link Encoders}; a second backend (a GPU) is one more implementation of this interface.
 */
public interface Backend {
  /** Name in logs and checkpoints ({@code nd4j-cpu}). */
  String name();

  /** The native code that computes, recorded in every checkpoint. */
  NativeKernels kernels();

  /**
   * A fresh engine training {@code method} from the initial weights of {@code seed}, with {@code initial}'s tensors
   * (when present) copied over them.
   */
  TrainingEngine trainingEngine(ModelSettings model, Method method, OptimSettings optim, long stepsPerEpoch,
      long seed, Optional<InitialWeights> initial);

  /** Backbones of {@code modalities} at the initial weights of {@code seed} (the same a training engine starts from). */
  Encoders encoders(ModelSettings model, Set<Modality> modalities, long seed);
}
