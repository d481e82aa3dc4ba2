package crisscross.pipeline.synth;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FLAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VORBIS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import crisscross.pipeline.decode.FfmpegLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Encodes RGB frames and float audio into a media file with FFmpeg: H.264 + AAC in MP4 or Matroska, VP8 + Vorbis or
 * VP9 + Opus in WebM, or audio only (WAV, FLAC, MP3, AAC in MP4). Used by the synthetic corpus and by tests that need media with known content.
 * Not thread-safe: one writer per file.
 */
public final class MediaWriter implements AutoCloseable {

  /** A container with the codecs crisscross writes into it. */
  public enum Container {
    MP4("mp4", AV_CODEC_ID_H264, AV_CODEC_ID_AAC),
    MKV("matroska", AV_CODEC_ID_H264, AV_CODEC_ID_AAC),
    WAV("wav", AV_CODEC_ID_NONE, AV_CODEC_ID_PCM_S16LE),
    FLAC("flac", AV_CODEC_ID_NONE, AV_CODEC_ID_FLAC),
    MP3("mp3", AV_CODEC_ID_NONE, AV_CODEC_ID_MP3),
    /** WebM as video sites serve it: VP8 video, Vorbis audio (FFmpeg's own Vorbis encoder). */
    WEBM_VORBIS("webm", AV_CODEC_ID_VP8, AV_CODEC_ID_VORBIS),
    /** WebM as video sites serve it: VP9 video, Opus audio (48 kHz, as Opus requires for its full band). */
    WEBM_OPUS("webm", AV_CODEC_ID_VP9, AV_CODEC_ID_OPUS);

    final String format;
    final int videoCodec;
    final int audioCodec;

    Container(String format, int videoCodec, int audioCodec) {
      this.format = format;
      this.videoCodec = videoCodec;
      this.audioCodec = audioCodec;
    }

    public boolean holdsVideo() {
      return videoCodec != AV_CODEC_ID_NONE;
    }
  }

  /**
   * What to write.
   *
   * @param width frame width in pixels (even), 0 for no video
   * @param height frame height in pixels (even), 0 for no video
   * @param fps frames per second (fractional rates such as 29.97 are written as 30000/1001)
   * @param keyframeInterval frames between keyframes (a seek lands on one)
   * @param videoBitrate bits per second of the video stream
   * @param sampleRate audio samples per second per channel
   * @param channels audio channels, 0 for no audio
   * @param audioBitrate bits per second of compressed audio
   * @param moovFirst MP4 only: put the index before the media data ({@code +faststart}), as streamed files do; a
   *     file cut short then still opens and decodes up to the cut
   */
  public record Spec(Container container, int width, int height, double fps, int keyframeInterval,
      int videoBitrate, int sampleRate, int channels, int audioBitrate, boolean moovFirst) {
    public Spec {
      boolean video = width > 0 || height > 0;
      if (video && (!container.holdsVideo() || width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0)) {
        throw new IllegalArgumentException("video must be an even size of at least 2x2 in a video container: "
            + width + "x" + height + " in " + container);
      }
      if (video && !(fps > 0 && fps <= 240)) {
        throw new IllegalArgumentException("fps must be in (0, 240]: " + fps);
      }
      if (channels < 0 || channels > 8 || (channels > 0 && (sampleRate < 8000 || sampleRate > 192_000))) {
        throw new IllegalArgumentException("bad audio: " + channels + " channels at " + sampleRate + " Hz");
      }
      if (!video && channels == 0) {
        throw new IllegalArgumentException("a file needs video, audio or both");
      }
    }

    public boolean hasVideo() {
      return width > 0;
    }

    public boolean hasAudio() {
      return channels > 0;
    }
  }

  /**
   * Audio frames handed to the encoder at a time. JavaCV converts every call separately, and small calls (a video
   * frame's worth, 666 samples at 24 fps and 16 kHz) cost as much again as encoding the video.
   */
  private static final int AUDIO_CHUNK = 4096;

  private final Spec spec;
  private final FFmpegFrameRecorder recorder;
  private final ByteBuffer image;
  private final float[] pendingAudio;
  private int pendingFrames;
  private long framesWritten;

  private MediaWriter(Spec spec, FFmpegFrameRecorder recorder) {
    this.spec = spec;
    this.recorder = recorder;
    this.image = spec.hasVideo() ? ByteBuffer.allocateDirect(spec.width() * spec.height() * 3) : null;
    this.pendingAudio = new float[AUDIO_CHUNK * Math.max(1, spec.channels())];
  }

  /** Creates {@code file} (replacing it) and writes its header. */
  public static MediaWriter open(Path file, Spec spec) throws IOException {
    FfmpegLog.errorsOnly();
    FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), spec.width(), spec.height(),
        spec.channels());
    recorder.setFormat(spec.container().format);
    if (spec.hasVideo()) {
      recorder.setVideoCodec(spec.container().videoCodec);
      recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
      recorder.setFrameRate(spec.fps());
      recorder.setGopSize(spec.keyframeInterval());
      recorder.setVideoBitrate(spec.videoBitrate());
      // A single encoder thread keeps the bytes identical from run to run.
      recorder.setVideoOption("threads", "1");
    }
    if (spec.hasAudio()) {
      recorder.setAudioCodec(spec.container().audioCodec);
      recorder.setSampleRate(spec.sampleRate());
      recorder.setAudioChannels(spec.channels());
      recorder.setAudioBitrate(spec.audioBitrate());
      if (spec.container().audioCodec == AV_CODEC_ID_VORBIS) {
        // FFmpeg's own Vorbis encoder is marked experimental; this FFmpeg build has no other.
        recorder.setAudioOption("strict", "experimental");
      }
    }
    if (spec.moovFirst()) {
      recorder.setOption("movflags", "+faststart");
    }
    try {
      recorder.start();
    } catch (FrameRecorder.Exception e) {
      release(recorder);
      throw new IOException("cannot write " + file + " as " + spec.container() + ": " + e.getMessage(), e);
    }
    return new MediaWriter(spec, recorder);
  }

  public Spec spec() {
    return spec;
  }

  /** Appends one frame, {@code height x width x 3} bytes of RGB, rows top to bottom. */
  public void writeFrame(byte[] rgb) throws IOException {
    if (image == null) {
      throw new IllegalStateException("this file has no video stream");
    }
    if (rgb.length != image.capacity()) {
      throw new IllegalArgumentException("frame has " + rgb.length + " bytes, expected " + image.capacity());
    }
    image.clear();
    image.put(rgb).flip();
    try {
      recorder.recordImage(spec.width(), spec.height(), Frame.DEPTH_UBYTE, 3, spec.width() * 3, AV_PIX_FMT_RGB24,
          image);
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot encode frame " + framesWritten + ": " + e.getMessage(), e);
    }
    framesWritten++;
  }

  /** Appends {@code frames} audio frames from {@code interleaved} (channel values interleaved, in [-1, 1]). */
  public void writeAudio(float[] interleaved, int frames) throws IOException {
    if (!spec.hasAudio()) {
      throw new IllegalStateException("this file has no audio stream");
    }
    int channels = spec.channels();
    int done = 0;
    while (done < frames) {
      int n = Math.min(frames - done, AUDIO_CHUNK - pendingFrames);
      System.arraycopy(interleaved, done * channels, pendingAudio, pendingFrames * channels, n * channels);
      pendingFrames += n;
      done += n;
      if (pendingFrames == AUDIO_CHUNK) {
        flushAudio();
      }
    }
  }

  private void flushAudio() throws IOException {
    if (pendingFrames == 0) {
      return;
    }
    FloatBuffer samples = FloatBuffer.wrap(pendingAudio, 0, pendingFrames * spec.channels());
    try {
      recorder.recordSamples(spec.sampleRate(), spec.channels(), samples);
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot encode audio: " + e.getMessage(), e);
    }
    pendingFrames = 0;
  }

  /** Flushes the encoders and writes the index. */
  @Override
  public void close() throws IOException {
    try {
      flushAudio();
      recorder.stop();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot finish the file: " + e.getMessage(), e);
    } finally {
      release(recorder);
    }
  }

  private static void release(FFmpegFrameRecorder recorder) {
    try {
      recorder.release();
    } catch (FrameRecorder.Exception e) {
      // Native memory of a recorder that failed; nothing more can be done with it.
    }
  }
}
