package crisscross.pipeline.decode;

import crisscross.pipeline.decode.DecodeResult.Decoded;
import crisscross.pipeline.decode.DecodeResult.Skipped;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.random.SampleRandom;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Decodes sample windows and nothing else (no augmentation, no spectrograms), to measure what decoding alone
 * costs: throughput, latency per decode and CPU seconds (FFmpeg's own threads included).
 */
public final class DecodeBenchmark {
  private DecodeBenchmark() {}

  /** Chooses the window of decode number {@code n}. */
  @FunctionalInterface
  public interface Planner {
    Function<MediaInfo, DecodePlan> forDecode(int n);
  }

  /**
   * What the benchmark measured.
   *
   * @param seconds wall-clock time of the whole run
   * @param cpuSeconds CPU time the process used during the run, all threads
   */
  public record Result(int decodes, int threads, Map<SkipReason, Integer> skipped, double seconds,
      double cpuSeconds, double medianMillis, double p95Millis, long videoFrames, long audioSamples) {
    public double decodesPerSecond() {
      return decodes / seconds;
    }

    public String describe() {
      return String.format(Locale.ROOT, "%d decodes on %d threads in %.2f s: %.1f decodes/s, median %.1f ms, "
          + "p95 %.1f ms per decode, %.1f ms CPU per decode, %d frames and %d samples out, skipped %s", decodes,
          threads, seconds, decodesPerSecond(), medianMillis, p95Millis, 1000 * cpuSeconds / decodes, videoFrames,
          audioSamples, skipped);
    }
  }

  /** Runs {@code decodes} decodes over {@code files} in turn on {@code threads} threads. */
  public static Result run(ClipDecoder decoder, List<Path> files, int decodes, int threads, Planner planner) {
    if (files.isEmpty() || decodes < 1 || threads < 1) {
      throw new IllegalArgumentException("need files, at least one decode and one thread");
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    double[] millis = new double[decodes];
    long startCpu = processCpuNanos();
    long start = System.nanoTime();
    try {
      List<Future<Outcome>> futures = new ArrayList<>(decodes);
      for (int n = 0; n < decodes; n++) {
        final int index = n;
        futures.add(pool.submit(() -> {
          long began = System.nanoTime();
          DecodeResult result = decoder.decode(files.get(index % files.size()), planner.forDecode(index));
          millis[index] = (System.nanoTime() - began) / 1e6;
          return Outcome.of(result);
        }));
      }
      Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
      long frames = 0;
      long samples = 0;
      for (Future<Outcome> future : futures) {
        Outcome outcome = future.get();
        if (outcome.skipped() != null) {
          skipped.merge(outcome.skipped(), 1, Integer::sum);
        }
        frames += outcome.frames();
        samples += outcome.samples();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = (processCpuNanos() - startCpu) / 1e9;
      double[] sorted = millis.clone();
      Arrays.sort(sorted);
      return new Result(decodes, threads, skipped, seconds, cpu, sorted[decodes / 2],
          sorted[Math.min(decodes - 1, (int) Math.ceil(decodes * 0.95) - 1)], frames, samples);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("benchmark interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a decode failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** What is kept of one decode: counts only, so that a long run does not hold every decoded window in memory. */
  private record Outcome(SkipReason skipped, long frames, long samples) {
    static Outcome of(DecodeResult result) {
      if (result instanceof Skipped skip) {
        return new Outcome(skip.reason(), 0, 0);
      }
      Decoded decoded = (Decoded) result;
      return new Outcome(null, decoded.video().map(v -> (long) v.frames()).orElse(0L),
          decoded.audio().map(a -> (long) a.samples().length).orElse(0L));
    }
  }

  /**
   * Windows of the sizes the default mild relaxation decodes (§4.3, 0.75 s of video inside 3 s of audio), placed
   * uniformly at random: the audio window in the clip, the video window in the audio window. Clips too short for
   * them are skipped as {@code TOO_SHORT}.
   */
  public static Planner mildSizedWindows(DecodeSettings settings, long seed) {
    int audioCount = 3 * settings.audioSampleRate();
    int videoCount = (int) Math.round(0.75 * settings.videoFps());
    return n -> info -> {
      SampleRandom random = SampleRandom.of(seed).fork(n);
      double usable = info.usableSeconds(true, true);
      long audioRoom = (long) Math.floor(usable * settings.audioSampleRate()) - audioCount;
      if (audioRoom < 0) {
        return DecodePlan.skip(SkipReason.TOO_SHORT, info.durationSeconds() + " s");
      }
      long audioStart = (long) (random.nextDouble() * (audioRoom + 1));
      double audioStartSeconds = audioStart / (double) settings.audioSampleRate();
      long firstFrame = (long) Math.ceil(audioStartSeconds * settings.videoFps());
      long lastStart = (long) Math.floor((audioStartSeconds + 3.0) * settings.videoFps()) - videoCount;
      long videoStart = firstFrame + (long) (random.nextDouble() * Math.max(1, lastStart - firstFrame + 1));
      return new DecodeRequest(videoStart, videoCount, audioStart, audioCount, settings.shortSide());
    };
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
