package crisscross.pipeline.sample;

import crisscross.pipeline.media.SkipReason;

/** What {@link ViewSampler#plan} decided for one clip: where to cut the views, or that the clip is too short. */
public sealed interface SamplingOutcome permits ViewPlan, SamplingOutcome.TooShort {

  /**
   * The clip cannot hold the relaxation mode's window.
   *
   * @param clipSeconds the clip's duration as given to the sampler
   * @param neededSeconds the shortest clip the mode can sample from
   */
  record TooShort(RelaxationMode mode, double clipSeconds, double neededSeconds) implements SamplingOutcome {
    public SkipReason reason() {
      return SkipReason.TOO_SHORT;
    }

    public String detail() {
      return String.format(java.util.Locale.ROOT, "clip of %.3f s is shorter than the %.3f s that %s relaxation "
          + "needs", clipSeconds, neededSeconds, mode.configName());
    }
  }
}
