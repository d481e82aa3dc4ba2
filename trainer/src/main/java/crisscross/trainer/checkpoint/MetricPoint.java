package crisscross.trainer.checkpoint;

/**
 * One step's numbers as kept in the metric history (dashboard charts survive restarts).
 *
 * @param terms loss terms in the order of {@link TrainerState#termNames()}
 */
public record MetricPoint(long step, int epoch, long wallMillis, double total, double[] terms,
    double samplesPerSecond, double encoderLr, double collapse) {}
