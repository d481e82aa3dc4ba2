package crisscross.pipeline.stream;

import crisscross.pipeline.source.SampleRef;

/**
 * Turns one visit of a sample into its views: fetch, decode one window, sample the views, augment. Blocking;
 * called concurrently from the pipeline's workers, so implementations must be thread-safe. Never throws for a
 * bad sample: returns {@link LoadedSample.Skipped} with a reason.
 */
@FunctionalInterface
public interface SampleLoader {
  LoadedSample load(SampleRef sample, LoadedSample.Visit visit);
}
