package crisscross.pipeline.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;
import static org.bytedeco.ffmpeg.global.swresample.swr_set_matrix;

import java.util.Arrays;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Resamples decoded audio of any format, layout and rate to mono float at the target rate with libswresample.
 * Channels are averaged (as librosa's {@code to_mono}), not mixed at -3 dB as swresample does by default, so a
 * full-scale stereo file stays within [-1, 1]. The resampler keeps its output aligned with input time and holds
 * back a few samples of look-ahead, which {@link #flush} releases at the end of a run.
 *
 * <p>Not thread-safe: one per decode.
 */
final class MonoResampler implements AutoCloseable {
  private final int outputRate;
  private final AVChannelLayout mono = new AVChannelLayout();
  private final AVChannelLayout inputLayout = new AVChannelLayout();
  private final PointerPointer<?> outputPlanes = new PointerPointer<FloatPointer>(1);
  private SwrContext context;
  private int inputFormat = -1;
  private int inputRate = -1;
  private int inputChannels = -1;
  private FloatPointer output = new FloatPointer(0L);
  private float[] samples = new float[4096];

  MonoResampler(int outputRate) {
    this.outputRate = outputRate;
    av_channel_layout_default(mono, 1);
  }

  /**
   * Resamples one decoded frame; the result is the first {@code n} values of {@link #samples()}, {@code n}
   * returned. Call {@link #needsFlush} first: a frame in another format must not be mixed into the same run.
   */
  int convert(AVFrame frame) {
    if (context == null) {
      configure(frame);
    }
    return run(frame.extended_data(), frame.nb_samples());
  }

  /** Whether {@code frame} differs in format, rate or layout from the frames resampled so far. */
  boolean needsFlush(AVFrame frame) {
    return context != null && (frame.format() != inputFormat || frame.sample_rate() != inputRate
        || frame.ch_layout().nb_channels() != inputChannels);
  }

  /**
   * Releases the samples still held for look-ahead and forgets the input format; the result is the first {@code n}
   * values of {@link #samples()}.
   */
  int flush() {
    if (context == null) {
      return 0;
    }
    int n = run(null, 0);
    swr_free(context);
    context = null;
    return n;
  }

  float[] samples() {
    return samples;
  }

  private int run(PointerPointer<?> input, int inputSamples) {
    int capacity = Math.max(swr_get_out_samples(context, inputSamples), 0) + 32;
    if (output.capacity() < capacity) {
      output.close();
      output = new FloatPointer(capacity);
    }
    outputPlanes.put(0, output);
    int n = swr_convert(context, outputPlanes, capacity, input, inputSamples);
    if (n < 0) {
      throw new IllegalStateException("swr_convert failed with error " + n);
    }
    if (samples.length < n) {
      samples = new float[Math.max(n, samples.length * 2)];
    }
    output.position(0).get(samples, 0, n);
    return n;
  }

  private void configure(AVFrame frame) {
    int channels = frame.ch_layout().nb_channels();
    if (channels < 1 || frame.sample_rate() < 1) {
      throw new IllegalStateException("audio frame with " + channels + " channels at " + frame.sample_rate()
          + " Hz");
    }
    av_channel_layout_uninit(inputLayout);
    av_channel_layout_copy(inputLayout, frame.ch_layout());
    SwrContext created = new SwrContext(null);
    int status = swr_alloc_set_opts2(created, mono, AV_SAMPLE_FMT_FLT, outputRate, inputLayout, frame.format(),
        frame.sample_rate(), 0, null);
    if (status < 0 || created.isNull()) {
      throw new IllegalStateException("swresample cannot convert format " + frame.format() + " at "
          + frame.sample_rate() + " Hz (error " + status + ")");
    }
    double[] average = new double[channels];
    Arrays.fill(average, 1.0 / channels);
    status = swr_set_matrix(created, average, channels);
    if (status >= 0) {
      status = swr_init(created);
    }
    if (status < 0) {
      swr_free(created);
      throw new IllegalStateException("swresample initialisation failed with error " + status);
    }
    context = created;
    inputFormat = frame.format();
    inputRate = frame.sample_rate();
    inputChannels = channels;
  }

  @Override
  public void close() {
    if (context != null) {
      swr_free(context);
      context = null;
    }
    av_channel_layout_uninit(inputLayout);
    av_channel_layout_uninit(mono);
    output.close();
    outputPlanes.close();
  }
}
