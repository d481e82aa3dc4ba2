package crisscross.trainer.run;

import crisscross.trainer.actor.TrainingEngine;
import crisscross.trainer.backend.Backend;
import crisscross.trainer.export.InitialWeights;
import crisscross.trainer.host.NativeKernels;
import crisscross.trainer.method.Method;
import crisscross.trainer.model.Backbones;
import crisscross.trainer.model.Encoders;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.step.TrainingStep;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ND4J on the CPU: SameDiff graphs ({@link crisscross.trainer.model.GraphBuilder}), the Java kernels of the
 * training graph's BN and 3-D convolutions ({@link crisscross.trainer.model.KernelSession}), the pooled arrays and
 * the fused LARC+Adam update.
 */
public final class Nd4jCpuBackend implements Backend {
  public static final String NAME = "nd4j-cpu";
  private static final Logger LOG = LoggerFactory.getLogger(Nd4jCpuBackend.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NativeKernels kernels() {
    return NativeKernels.current();
  }

  @Override
  public TrainingEngine trainingEngine(ModelSettings model, Method method, OptimSettings optim, long stepsPerEpoch,
      long seed, Optional<InitialWeights> initial) {
    TrainingStep step = TrainingStep.create(model, method, optim, stepsPerEpoch, seed);
    try {
      initial.ifPresent(weights -> {
        InitialWeights.Loaded loaded = weights.loadInto(step.model().parameters(), step.model().buffers(),
            name -> Backbones.isBackboneEntry(name, step.model().modalities()));
        LOG.info("initial weights from {}: {} tensors loaded, {} at their initial values, {} skipped", weights.file(),
            loaded.loaded().size(), loaded.keptInitial().size(), loaded.skipped().size());
      });
    } catch (RuntimeException e) {
      step.close();
      throw e;
    }
    return new ModelEngine(step);
  }

  @Override
  public Encoders encoders(ModelSettings model, Set<Modality> modalities, long seed) {
    return Backbones.initial(model, modalities, seed);
  }
}
