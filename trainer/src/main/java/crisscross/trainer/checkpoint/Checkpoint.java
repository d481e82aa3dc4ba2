package crisscross.trainer.checkpoint;

import crisscross.trainer.host.NativeKernels;

/**
 * Everything one checkpoint holds.
 *
 * @param objective the objective's name ({@code crisscross}, {@code a1a2}, ...)
 * @param effectiveConfig the effective configuration, canonical JSON
 * @param configHash SHA-256 of {@code effectiveConfig}
 * @param dataManifestHash the dataset's manifest hash, so a resume on other data is refused
 * @param codeVersion the crisscross version that wrote it
 * @param kernels the native code that computed it (null in checkpoints written before it was recorded)
 */
public record Checkpoint(String objective, String effectiveConfig, String configHash, String dataManifestHash,
    String codeVersion, NativeKernels kernels, TrainerState trainerState, ModelSnapshot model) {}
