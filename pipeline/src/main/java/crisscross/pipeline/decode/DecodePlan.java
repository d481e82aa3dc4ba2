package crisscross.pipeline.decode;

import crisscross.pipeline.media.SkipReason;

/**
 * What a planner decides once it has seen a file's {@link MediaInfo}: the window to decode, or why the file is
 * skipped (for example {@link SkipReason#TOO_SHORT} when the clip cannot hold the sampling window).
 */
public sealed interface DecodePlan permits DecodeRequest, DecodePlan.Skip {

  static Skip skip(SkipReason reason, String detail) {
    return new Skip(reason, detail);
  }

  /** The file is not decoded. */
  record Skip(SkipReason reason, String detail) implements DecodePlan {
    public Skip {
      if (reason == null) {
        throw new IllegalArgumentException("a skip needs a reason");
      }
      detail = detail == null ? "" : detail;
    }
  }
}
