package crisscross.pipeline.decode;

/**
 * What a file holds, read when it is opened and before anything is decoded.
 *
 * <p>Times count from time 0 of the file: where its video stream starts (its audio stream in an audio-only file).
 *
 * @param durationSeconds length of the file (the container's duration, else its longest stream); 0 if unknown
 * @param hasVideo whether there is a decodable video stream
 * @param hasAudio whether there is a decodable audio stream ({@code hasAudio()}, the only reliable check)
 * @param width coded width of the video in pixels (0 without video)
 * @param height coded height of the video in pixels (0 without video)
 * @param pixelAspectRatio width of a pixel relative to its height (1 for square pixels)
 * @param frameRate the video's own frame rate (25, 29.97, 30...; 0 without video)
 * @param videoSeconds where the video stream ends (0 without video); the file's length if the stream does not state
 *     its own (Matroska)
 * @param audioSeconds where the audio stream ends (0 without audio); likewise
 * @param sampleRate the audio's own sample rate (0 without audio)
 * @param channels the audio's own channel count (0 without audio)
 * @param durationEstimated true when FFmpeg guessed the duration from the bit rate (e.g. an MP3 without a
 *     header), so it may be off by a few percent
 */
public record MediaInfo(double durationSeconds, boolean hasVideo, boolean hasAudio, int width, int height,
    double pixelAspectRatio, double frameRate, double videoSeconds, double audioSeconds, int sampleRate,
    int channels, boolean durationEstimated) {

  /** Width over height as displayed (coded width times the pixel aspect ratio). */
  public double displayAspectRatio() {
    return height == 0 ? 0 : width * pixelAspectRatio / height;
  }

  /**
   * The time span in which every stream a sample needs has content: the shorter of the needed streams. Sampling
   * windows placed inside it never run past the end of either stream.
   */
  public double usableSeconds(boolean needsVideo, boolean needsAudio) {
    double usable = durationSeconds;
    if (needsVideo) {
      usable = Math.min(usable, videoSeconds);
    }
    if (needsAudio) {
      usable = Math.min(usable, audioSeconds);
    }
    return usable;
  }
}
