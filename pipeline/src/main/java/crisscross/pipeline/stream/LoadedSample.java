package crisscross.pipeline.stream;

import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.sample.ClipTiming;
import java.util.List;

/** One visit of a sample after loading: its clips, or why it was skipped. */
public sealed interface LoadedSample {
  Visit visit();

  /** Where a visit sits in the run: (epoch, position in the epoch), which sample, and its draw key. */
  record Visit(int epoch, long position, int sampleIndex, String sampleId, long drawKey, boolean lastOfEpoch) {}

  /**
   * The clips, each a flat array in the model's layout: video [3][T][S][S], audio [1][bands][frames], in clip order
   * (v1, v2, ...; a1, a2, ...). A modality the method does not use has none. Each clip's timing (its source span
   * and playback, the temporal pretext labels) is in the same order; empty where the loader does not know them.
   */
  record Views(Visit visit, List<float[]> video, List<float[]> audio, List<ClipTiming> videoTimings,
      List<ClipTiming> audioTimings) implements LoadedSample {
    public Views {
      video = List.copyOf(video);
      audio = List.copyOf(audio);
      videoTimings = List.copyOf(videoTimings);
      audioTimings = List.copyOf(audioTimings);
      if ((!videoTimings.isEmpty() && videoTimings.size() != video.size())
          || (!audioTimings.isEmpty() && audioTimings.size() != audio.size())) {
        throw new IllegalArgumentException("timings of " + videoTimings.size() + " video and "
            + audioTimings.size() + " audio clips for " + video.size() + " and " + audio.size() + " clips");
      }
    }

    /** Clips without timings. */
    public Views(Visit visit, List<float[]> video, List<float[]> audio) {
      this(visit, video, audio, List.of(), List.of());
    }
  }

  record Skipped(Visit visit, SkipReason reason, String detail) implements LoadedSample {}
}
