package crisscross.pipeline.stream;

import crisscross.pipeline.sample.ClipTiming;
import java.util.List;

/**
 * A training batch: per video clip {@code [B,3,T,S,S]}, per audio clip {@code [B,1,F,N]} (none of an unused
 * modality), the samples it holds, and the span of the epoch order it consumed.
 *
 * @param video the batch's video clips in clip order (v1, v2, ...)
 * @param audio the batch's audio clips in clip order (a1, a2, ...)
 * @param startPosition first position of the epoch order this batch consumed
 * @param endPosition position after the last one consumed: a stream started at (epoch, endPosition) continues
 *     exactly where this batch ends
 * @param skipped visits in [startPosition, endPosition) that were skipped, with reasons
 * @param lastOfEpoch the epoch ends with this batch
 * @param videoTimings per video clip, every sample's {@link ClipTiming} in batch order; empty when the loader gave
 *     none
 * @param audioTimings the same for the audio clips
 */
public record Batch(int epoch, long startPosition, long endPosition, int size, int[] sampleIndices,
    String[] sampleIds, List<float[]> video, List<float[]> audio, List<LoadedSample.Skipped> skipped,
    boolean lastOfEpoch, List<ClipTiming[]> videoTimings, List<ClipTiming[]> audioTimings) {

  public Batch {
    video = List.copyOf(video);
    audio = List.copyOf(audio);
    videoTimings = List.copyOf(videoTimings);
    audioTimings = List.copyOf(audioTimings);
  }

  /** A batch without clip timings. */
  public Batch(int epoch, long startPosition, long endPosition, int size, int[] sampleIndices, String[] sampleIds,
      List<float[]> video, List<float[]> audio, List<LoadedSample.Skipped> skipped, boolean lastOfEpoch) {
    this(epoch, startPosition, endPosition, size, sampleIndices, sampleIds, video, audio, skipped, lastOfEpoch,
        List.of(), List.of());
  }

  public boolean hasVideo() {
    return !video.isEmpty();
  }

  public boolean hasAudio() {
    return !audio.isEmpty();
  }

  /** Video clip {@code clip} (from 1) of every sample, or null when the batch has fewer clips. */
  public float[] video(int clip) {
    return clip >= 1 && clip <= video.size() ? video.get(clip - 1) : null;
  }

  /** Audio clip {@code clip} (from 1) of every sample, or null when the batch has fewer clips. */
  public float[] audio(int clip) {
    return clip >= 1 && clip <= audio.size() ? audio.get(clip - 1) : null;
  }

  /** Bytes held by the clip arrays. */
  public long bytes() {
    long floats = 0;
    for (List<float[]> clips : List.of(video, audio)) {
      for (float[] a : clips) {
        floats += a.length;
      }
    }
    return floats * Float.BYTES;
  }
}
