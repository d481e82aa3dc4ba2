package crisscross.trainer.checkpoint;

import crisscross.trainer.host.NativeKernels;

/**
 * Everything one checkpoint holds.
 *
 * @param method the method that trained it ({@code crisscross}, ...)
 * @param objective the method's variant ({@code crisscross}, {@code a1a2}, ... for CrissCross)
 * @param effectiveConfig the effective configuration, canonical JSON
 * @param configHash SHA-256 of {@code effectiveConfig}
 * @param dataManifestHash the dataset's manifest hash, so a resume on other data is refused
 * @param codeVersion the crisscross version that wrote it
 * @param kernels the native code that computed it (null in checkpoints written before it was recorded)
 */
public record Checkpoint(String method, String objective, String effectiveConfig, String configHash, String dataManifestHash,
    String codeVersion, NativeKernels kernels, TrainerState trainerState, ModelSnapshot model) {
  /** What checkpoints written before methods were recorded were trained with. */
  public static final String DEFAULT_METHOD = "crisscross";

  public Checkpoint {
    method = method == null ? DEFAULT_METHOD : method;
  }
}
