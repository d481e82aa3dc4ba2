package crisscross.pipeline.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/** FFmpeg writes to stderr on its own; crisscross keeps errors only, and reports damaged files as skips. */
public final class FfmpegLog {
  private static volatile boolean configured;

  private FfmpegLog() {}

  /** Sets FFmpeg's log level to errors only, once per JVM. */
  public static void errorsOnly() {
    if (!configured) {
      synchronized (FfmpegLog.class) {
        if (!configured) {
          av_log_set_level(AV_LOG_ERROR);
          configured = true;
        }
      }
    }
  }
}
