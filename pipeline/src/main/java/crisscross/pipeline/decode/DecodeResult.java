package crisscross.pipeline.decode;

import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.media.VideoFrames;
import java.util.Optional;

/** The outcome of decoding one file: the window asked for, complete, or a typed reason it is skipped. */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeResult.Skipped {

  /**
   * Everything asked for. {@code video} holds exactly the frames requested (present when any were), {@code audio}
   * exactly the samples requested (likewise).
   */
  record Decoded(MediaInfo info, Optional<VideoFrames> video, Optional<AudioSamples> audio)
      implements DecodeResult {}

  /** Nothing usable; {@code detail} says what was found, for the log line of the skipped sample. */
  record Skipped(SkipReason reason, String detail) implements DecodeResult {}
}
