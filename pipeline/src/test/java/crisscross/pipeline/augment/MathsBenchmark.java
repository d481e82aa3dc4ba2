package crisscross.pipeline.augment;

import crisscross.pipeline.audio.AudioSettings;
import crisscross.pipeline.audio.LogMel;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.sample.SamplingSettings;
import crisscross.pipeline.sample.ViewSampler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Per-call cost of the pure maths on one thread (thread CPU time, which a busy machine distorts less than
 * wall time): view planning, the video chain on two 8-frame views of
 * 128 x 170 frames, the log-mel alone and the audio chain on two 2 s views, with the paper's settings. Not a
 * test (it asserts nothing); run it after {@code mvn -o -q test-compile -pl pipeline}:
 * <pre>
 * java -cp pipeline/target/classes:pipeline/target/test-classes:$(cat cp.txt) \
 *     crisscross.pipeline.augment.MathsBenchmark
 * </pre>
 * where {@code cp.txt} comes from {@code mvn -o -q dependency:build-classpath -pl pipeline
 * -Dmdep.outputFile=cp.txt}.
 */
public final class MathsBenchmark {
  private MathsBenchmark() {}

  public static void main(String[] args) {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    Settings settings = ConfigLoader.load(List.of(), List.of());
    ViewSampler sampler = new ViewSampler(SamplingSettings.from(settings));
    VideoAugmentSettings videoSettings = VideoAugmentSettings.from(settings);
    VideoAugmenter video = new VideoAugmenter(videoSettings);
    VideoAugmenter videoRandom = new VideoAugmenter(videoSettings.withTemporallyConsistent(false));
    VideoAugmenter videoEvaluation = new VideoAugmenter(videoSettings.evaluation());
    AudioSettings audioSettings = AudioSettings.from(settings);
    // Dataset statistics cost what the authors' fixed ones do: one affine map per view.
    AudioAugmentSettings audioAugment = AudioAugmentSettings.from(settings)
        .withStandardization(AudioAugmentSettings.Standardization.FIXED);
    AudioAugmenter audio = new AudioAugmenter(audioSettings, audioAugment);
    AudioAugmenter audioWarp = new AudioAugmenter(audioSettings, audioAugment.withTimeWarp(true));
    LogMel logMel = new LogMel(audioSettings);
    VideoFrames frames = VideoAugmenterTest.movingClip(8, 128, 170, 1);
    float[] waveform = AudioAugmenterTest.testSignal(32_000, 1);

    double[] sink = new double[1];
    report("view plan (mild)", samples * 50, i -> sink[0] += ((crisscross.pipeline.sample.ViewPlan) sampler
        .plan(10.0, true, SampleRandom.forSample(1, 0, i))).audioStartSample());
    report("video view, consistent (8x112^2)", samples,
        i -> sink[0] += video.apply(frames, SampleRandom.forSample(1, 0, i))[0]);
    report("video view, temporally random", samples,
        i -> sink[0] += videoRandom.apply(frames, SampleRandom.forSample(1, 0, i))[0]);
    report("video view, evaluation", samples,
        i -> sink[0] += videoEvaluation.apply(frames, SampleRandom.forSample(1, 0, i))[0]);
    report("log-mel alone (80x200)", samples, i -> sink[0] += logMel.compute(waveform, 1.0, 200).values()[0]);
    report("audio view, Table S2 chain", samples,
        i -> sink[0] += audio.apply(waveform, SampleRandom.forSample(1, 0, i))[0]);
    report("audio view, with time warp", samples,
        i -> sink[0] += audioWarp.apply(waveform, SampleRandom.forSample(1, 0, i))[0]);
    System.out.println("(checksum " + sink[0] + ")");
  }

  private static void report(String name, int iterations, IntConsumer work) {
    for (int i = 0; i < Math.max(50, iterations / 4); i++) {
      work.accept(i);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      work.accept(i);
    }
    double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / iterations;
    double wallMicros = (System.nanoTime() - wall) / 1e3 / iterations;
    System.out.printf(Locale.ROOT, "%-36s %9.1f us CPU %9.1f us wall per call%n", name, cpuMicros, wallMicros);
  }
}
