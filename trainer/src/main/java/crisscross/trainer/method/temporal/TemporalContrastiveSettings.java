package crisscross.trainer.method.temporal;

import crisscross.pipeline.config.Settings;
import crisscross.pipeline.sample.RelaxationMode;
import crisscross.trainer.optim.OptimSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options of audio-visual contrastive learning with temporal self-supervision (block {@code
 * temporal-contrastive}, {@code config/methods/temporal-contrastive.conf}): which pretext tasks and contrastive
 * extras are on, and their sizes.
 *
 * @param speedTask predict each playback clip's speed class (one head per modality)
 * @param directionTask predict whether each playback clip plays forwards or backwards
 * @param orderIntraTask predict which of two clips of one modality comes first
 * @param orderInterTask predict whether an audio window lies before or after a video clip of the same sample
 * @param speeds the speed classes (frame skips; audio resampling factors)
 * @param relaxation where the pairs (v1, a1), (v2, a2) are placed; empty: {@code sampling.relaxation}
 * @param headHidden hidden width of each pretext head (fc-bn-relu-fc); 0 = one linear layer
 * @param pretextWeight weight of the pretext losses (their mean) against the contrastive ones
 * @param contrastive InfoNCE v1-v2 and v1-a1 on l2-normalised projections
 * @param temperature InfoNCE temperature
 * @param queueSize past projections per modality kept as negatives (0 = the batch only)
 * @param nearestPositives each sample's nearest queue entries taken as extra positives (0 = none)
 * @param transformedNegatives the sample's own speed-changed or reversed clips as extra negatives
 * @param projectorHidden hidden width of the projector (fc-bn-relu-fc); 0 = one linear layer
 * @param projectorDim width of the projections
 * @param baseLr the encoders' and heads' base LR
 * @param finalLr their LR at the end of the cosine
 */
public record TemporalContrastiveSettings(boolean speedTask, boolean directionTask, boolean orderIntraTask,
    boolean orderInterTask, List<Integer> speeds, Optional<RelaxationMode> relaxation, int headHidden,
    double pretextWeight, boolean contrastive, double temperature, int queueSize, int nearestPositives,
    boolean transformedNegatives, int projectorHidden, int projectorDim, double baseLr, double finalLr) {
  static final String BLOCK = "temporal-contrastive";

  public TemporalContrastiveSettings {
    speeds = List.copyOf(speeds);
    if (!speedTask && !directionTask && !orderIntraTask && !orderInterTask && !contrastive) {
      throw new IllegalArgumentException("every pretext task and the contrastive objective are off: nothing to "
          + "train; switch on at least one of " + BLOCK + ".speed-task, direction-task, order-intra-task, "
          + "order-inter-task, contrastive");
    }
    if (speeds.isEmpty() || speeds.stream().anyMatch(s -> s < 1) || speeds.stream().distinct().count()
        != speeds.size()) {
      throw new IllegalArgumentException(BLOCK + ".speeds must be distinct frame skips of at least 1: " + speeds);
    }
    if (speedTask && speeds.size() < 2) {
      throw new IllegalArgumentException(BLOCK + ".speed-task needs at least two speeds to tell apart: " + speeds);
    }
    if (contrastive && nearestPositives > queueSize) {
      throw new IllegalArgumentException(BLOCK + ".nearest-positives = " + nearestPositives + " exceeds queue-size = "
          + queueSize + ": the neighbours are taken from the queue");
    }
    if (!(temperature >= 1e-3) || headHidden < 0 || projectorHidden < 0 || projectorDim < 1 || queueSize < 0
        || nearestPositives < 0 || !(pretextWeight >= 0)) {
      throw new IllegalArgumentException("temporal-contrastive needs temperature >= 0.001, head-hidden, projector-hidden, "
          + "queue-size, nearest-positives >= 0, projector-dim >= 1 and pretext-weight >= 0");
    }
  }

  /** Reads block {@code temporal-contrastive}. */
  public static TemporalContrastiveSettings from(Settings s, OptimSettings optim) {
    String relaxation = s.choice(BLOCK + ".relaxation", withConfigured(RelaxationMode.configNames()));
    return new TemporalContrastiveSettings(s.bool(BLOCK + ".speed-task"), s.bool(BLOCK + ".direction-task"),
        s.bool(BLOCK + ".order-intra-task"), s.bool(BLOCK + ".order-inter-task"),
        s.integers(BLOCK + ".speeds", 1, 64),
        relaxation.equals("configured") ? Optional.empty() : Optional.of(RelaxationMode.fromConfigName(relaxation)),
        s.integer(BLOCK + ".head-hidden", 0, 1 << 16), s.real(BLOCK + ".pretext-weight", 0, 1e6),
        s.bool(BLOCK + ".contrastive"), s.real(BLOCK + ".temperature", 1e-3, 100),
        s.integer(BLOCK + ".queue-size", 0, 1 << 20), s.integer(BLOCK + ".nearest-positives", 0, 1 << 10),
        s.bool(BLOCK + ".transformed-negatives"), s.integer(BLOCK + ".projector-hidden", 0, 1 << 16),
        s.integer(BLOCK + ".projector-dim", 1, 1 << 16),
        OptimSettings.rate(s, BLOCK + ".base-lr", Map.of("auto", optim.baseLr())), optim.finalLr());
  }

  private static java.util.Set<String> withConfigured(java.util.Set<String> modes) {
    java.util.Set<String> all = new java.util.TreeSet<>(modes);
    all.add("configured");
    return all;
  }

  /** Whether the method cuts playback clips (v3, a3): for the speed and direction heads or as negatives. */
  public boolean playbackClips() {
    return speedTask || directionTask || (contrastive && transformedNegatives);
  }

  public boolean pretext() {
    return speedTask || directionTask || orderIntraTask || orderInterTask;
  }
}
