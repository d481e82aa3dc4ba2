package crisscross.pipeline.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.decode.ClipDecoder;
import crisscross.pipeline.decode.DecodeResult;
import crisscross.pipeline.decode.DecodeSettings;
import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.VideoFrames;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCorpusTest {
  /** 4 classes x 6 clips of 2 s at 64x48, 16 fps (the decode grid), so that every measure below is exact. */
  private static final SynthSettings TINY = SynthSettings.defaults().withClips(24, 4).withSeconds(2)
      .withPicture(64, 48, 16);

  @TempDir static Path shared;
  @TempDir Path dir;

  private static CorpusSummary corpus;
  private static final List<Measured> measured = new ArrayList<>();

  /** What a simple observer measures on one decoded clip. */
  private record Measured(int label, AudioSamples audio, VideoFrames video, ClipScript script) {}

  @BeforeAll
  static void generateAndDecodeOnce() throws IOException {
    corpus = SyntheticCorpus.generate(TINY, shared.resolve("corpus"));
    ClipDecoder decoder = new ClipDecoder(DecodeSettings.defaults());
    List<ClassSignature> classes = ClassSignature.all(TINY.classes());
    for (SyntheticCorpus.Clip clip : SyntheticCorpus.plan(TINY, classes)) {
      DecodeResult result = decoder.decodeWhole(corpus.root().resolve(clip.path()), true, true, 48);
      assertThat(result).as(clip.path()).isInstanceOf(DecodeResult.Decoded.class);
      DecodeResult.Decoded decoded = (DecodeResult.Decoded) result;
      measured.add(new Measured(clip.signature().index(), decoded.audio().orElseThrow(),
          decoded.video().orElseThrow(), SyntheticCorpus.script(TINY, clip.signature(), clip.index())));
    }
  }

  @Test
  void theManifestListsEveryClipWithItsClassAndAStratifiedSplit() throws IOException {
    List<String> lines = Files.readAllLines(corpus.manifest());

    assertThat(lines.get(0)).isEqualTo("path,label,split");
    assertThat(lines).hasSize(25);
    Map<String, int[]> splitCounts = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(",");
      assertThat(fields).hasSize(3);
      Path file = corpus.root().resolve(fields[0]);
      assertThat(Path.of(fields[0]).isAbsolute()).isFalse();
      assertThat(file).isRegularFile();
      assertThat(Path.of(fields[0]).getParent().toString()).isEqualTo(fields[1]);
      assertThat(fields[2]).isIn("train", "test");
      splitCounts.computeIfAbsent(fields[1], k -> new int[2])[fields[2].equals("test") ? 1 : 0]++;
    }
    assertThat(splitCounts).hasSize(4);
    assertThat(splitCounts.values()).allSatisfy(counts -> assertThat(counts).containsExactly(5, 1));
    assertThat(corpus.trainClips()).isEqualTo(20);
    assertThat(corpus.testClips()).isEqualTo(4);
    assertThat(corpus.classes()).containsExactly("00-red-circle", "01-lime-square", "02-cyan-triangle",
        "03-violet-diamond");
    assertThat(SyntheticCorpus.existingSettings(corpus.root())).contains(TINY);
  }

  @Test
  void everyClipHasBothStreamsForItsWholeLength() {
    assertThat(measured).hasSize(24);
    for (Measured clip : measured) {
      assertThat(clip.video().frames()).isEqualTo(32);
      assertThat(clip.video().width()).isEqualTo(64);
      // AAC pads its last frame (1024 samples): the decoded track may run up to that much longer.
      assertThat(clip.audio().samples().length).isBetween(32_000, 32_000 + 1024);
    }
  }

  @Test
  void theSameSeedGivesTheSameBytesWhateverTheThreadsAndAnotherSeedDoesNot() throws Exception {
    SynthSettings small = TINY.withClips(8, 4);
    SyntheticCorpus.generate(small.withThreads(1), dir.resolve("a"));
    SyntheticCorpus.generate(small.withThreads(3), dir.resolve("b"));
    SyntheticCorpus.generate(small.withSeed(small.seed() + 1), dir.resolve("c"));

    assertThat(digest(dir.resolve("b"))).isEqualTo(digest(dir.resolve("a")));
    assertThat(Files.readString(dir.resolve("b/manifest.csv")))
        .isEqualTo(Files.readString(dir.resolve("a/manifest.csv")));
    assertThat(digest(dir.resolve("c"))).isNotEqualTo(digest(dir.resolve("a")));
  }

  private static Map<String, String> digest(Path root) throws Exception {
    Map<String, String> digests = new HashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".mp4")).toList()) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        digests.put(root.relativize(file).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file))));
      }
    }
    return digests;
  }

  @Test
  void theSoundsPitchTellsTheClassAndItsLoudnessDoesNot() {
    List<ClassSignature> classes = ClassSignature.all(TINY.classes());
    int byPitch = 0;
    double[][] loudness = new double[measured.size()][1];
    int[] labels = new int[measured.size()];
    for (int i = 0; i < measured.size(); i++) {
      Measured clip = measured.get(i);
      double pitch = dominantFrequency(clip.audio().samples(), 16_000);
      int nearest = 0;
      for (ClassSignature signature : classes) {
        if (Math.abs(Math.log(pitch / signature.pitchHz()))
            < Math.abs(Math.log(pitch / classes.get(nearest).pitchHz()))) {
          nearest = signature.index();
        }
      }
      byPitch += nearest == clip.label() ? 1 : 0;
      loudness[i][0] = rms(clip.audio().samples());
      labels[i] = clip.label();
    }
    assertThat(byPitch).isEqualTo(measured.size());
    assertThat(nearestCentroidLeaveOneOut(loudness, labels, classes.size())).isLessThan(0.5);
  }

  @Test
  void theObjectsColourTellsTheClassAndTheFramesMeanColourDoesNot() {
    List<ClassSignature> classes = ClassSignature.all(TINY.classes());
    int byHue = 0;
    double[][] meanColour = new double[measured.size()][];
    int[] labels = new int[measured.size()];
    for (int i = 0; i < measured.size(); i++) {
      Measured clip = measured.get(i);
      double hue = saturatedHue(clip.video());
      int nearest = 0;
      for (ClassSignature signature : classes) {
        if (hueDistance(hue, signature.hue()) < hueDistance(hue, classes.get(nearest).hue())) {
          nearest = signature.index();
        }
      }
      byHue += nearest == clip.label() ? 1 : 0;
      meanColour[i] = meanColour(clip.video());
      labels[i] = clip.label();
    }
    assertThat(byHue).isEqualTo(measured.size());
    assertThat(nearestCentroidLeaveOneOut(meanColour, labels, classes.size())).isLessThan(0.5);
  }

  @Test
  void theObjectSwellsWhenItsSoundBeats() {
    double synchronous = 0;
    double shifted = 0;
    for (Measured clip : measured) {
      double[] loudness = loudnessPerFrame(clip.audio().samples(), clip.video().frames(), 1000);
      double[] size = saturatedPixelsPerFrame(clip.video());
      synchronous += pearson(loudness, size, 0);
      shifted += pearson(loudness, size, 4);
    }
    synchronous /= measured.size();
    shifted /= measured.size();
    assertThat(synchronous).isGreaterThan(0.3);
    assertThat(synchronous - shifted).as("correlation lost by shifting sound 0.25 s against picture")
        .isGreaterThan(0.2);
  }

  @Test
  void aFolderHoldingAnythingElseIsRefusedAndLeftAlone() throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "keep me");

    assertThatThrownBy(() -> SyntheticCorpus.generate(TINY.withClips(4, 2), dir))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("corpus.json");
    assertThat(Files.readString(notes)).isEqualTo("keep me");
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries).containsExactly(notes);
    }
  }

  @Test
  void aPreviousCorpusIsReplacedAndAnIdenticalOneReused() throws IOException {
    Path out = dir.resolve("demo");
    SyntheticCorpus.generate(TINY.withClips(6, 3), out);
    Files.writeString(out.resolve("00-red-circle/README"), "not a clip");

    SynthSettings two = TINY.withClips(4, 2);
    CorpusSummary replaced = SyntheticCorpus.generate(two, out);
    CorpusSummary reused = SyntheticCorpus.ensure(two, out, (done, total) -> { });

    try (Stream<Path> clips = Files.walk(out)) {
      assertThat(clips.filter(p -> p.toString().endsWith(".mp4")).count()).isEqualTo(4);
    }
    assertThat(out.resolve("02-cyan-triangle")).doesNotExist();
    assertThat(out.resolve("00-red-circle/README")).hasContent("not a clip");
    assertThat(replaced.classes()).hasSize(2);
    assertThat(reused.seconds()).as("nothing generated").isZero();
    assertThat(reused.bytes()).isEqualTo(replaced.bytes());
  }

  private static double dominantFrequency(float[] samples, int rate) {
    int frame = 2048;
    double[] hann = new double[frame];
    for (int n = 0; n < frame; n++) {
      hann[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / frame);
    }
    double best = 0;
    double bestPower = -1;
    for (double f = 150; f < 2400; f *= Math.pow(2, 1 / 48.0)) {
      double power = 0;
      for (int start = 0; start + frame <= samples.length; start += frame) {
        double w = 2 * Math.PI * f / rate;
        double coefficient = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int n = 0; n < frame; n++) {
          double s0 = samples[start + n] * hann[n] + coefficient * s1 - s2;
          s2 = s1;
          s1 = s0;
        }
        power += s1 * s1 + s2 * s2 - coefficient * s1 * s2;
      }
      if (power > bestPower) {
        bestPower = power;
        best = f;
      }
    }
    return best;
  }

  private static double rms(float[] samples) {
    double energy = 0;
    for (float s : samples) {
      energy += s * (double) s;
    }
    return Math.sqrt(energy / samples.length);
  }

  private static double[] loudnessPerFrame(float[] samples, int frames, int samplesPerFrame) {
    double[] loudness = new double[frames];
    for (int k = 0; k < frames; k++) {
      int from = Math.min(samples.length, k * samplesPerFrame);
      int to = Math.min(samples.length, from + samplesPerFrame);
      double energy = 0;
      for (int n = from; n < to; n++) {
        energy += samples[n] * (double) samples[n];
      }
      loudness[k] = Math.sqrt(energy / Math.max(1, to - from));
    }
    return loudness;
  }

  /** Pixels of the object: saturated and bright (backgrounds are drawn with saturation at most 0.5). */
  private static boolean objectPixel(float r, float g, float b) {
    float max = Math.max(r, Math.max(g, b));
    float min = Math.min(r, Math.min(g, b));
    return max > 0.5f && (max - min) / max > 0.7f;
  }

  private static double[] saturatedPixelsPerFrame(VideoFrames video) {
    double[] counts = new double[video.frames()];
    float[] rgb = video.rgb();
    for (int k = 0; k < video.frames(); k++) {
      for (int p = k * video.frameSize(); p < (k + 1) * video.frameSize(); p += 3) {
        counts[k] += objectPixel(rgb[p], rgb[p + 1], rgb[p + 2]) ? 1 : 0;
      }
    }
    return counts;
  }

  private static double saturatedHue(VideoFrames video) {
    double x = 0;
    double y = 0;
    float[] rgb = video.rgb();
    for (int p = 0; p < rgb.length; p += 3) {
      if (objectPixel(rgb[p], rgb[p + 1], rgb[p + 2])) {
        float[] hsb = java.awt.Color.RGBtoHSB(Math.round(rgb[p] * 255), Math.round(rgb[p + 1] * 255),
            Math.round(rgb[p + 2] * 255), null);
        x += Math.cos(2 * Math.PI * hsb[0]);
        y += Math.sin(2 * Math.PI * hsb[0]);
      }
    }
    return (Math.atan2(y, x) / (2 * Math.PI) + 1) % 1;
  }

  private static double hueDistance(double a, double b) {
    double d = Math.abs(a - b) % 1;
    return Math.min(d, 1 - d);
  }

  private static double[] meanColour(VideoFrames video) {
    double[] sum = new double[3];
    float[] rgb = video.rgb();
    for (int p = 0; p < rgb.length; p += 3) {
      for (int c = 0; c < 3; c++) {
        sum[c] += rgb[p + c];
      }
    }
    int pixels = rgb.length / 3;
    return new double[] {sum[0] / pixels, sum[1] / pixels, sum[2] / pixels};
  }

  /** Pearson correlation of {@code a[k]} with {@code b[k + lag]}. */
  private static double pearson(double[] a, double[] b, int lag) {
    int n = a.length - lag;
    double meanA = 0;
    double meanB = 0;
    for (int k = 0; k < n; k++) {
      meanA += a[k] / n;
      meanB += b[k + lag] / n;
    }
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int k = 0; k < n; k++) {
      ab += (a[k] - meanA) * (b[k + lag] - meanB);
      aa += (a[k] - meanA) * (a[k] - meanA);
      bb += (b[k + lag] - meanB) * (b[k + lag] - meanB);
    }
    return ab / Math.sqrt(aa * bb + 1e-30);
  }

  /** Accuracy of a nearest-class-mean classifier, each clip classified by the means of all the others. */
  private static double nearestCentroidLeaveOneOut(double[][] features, int[] labels, int classes) {
    int correct = 0;
    for (int i = 0; i < features.length; i++) {
      double[][] sums = new double[classes][features[i].length];
      int[] counts = new int[classes];
      for (int j = 0; j < features.length; j++) {
        if (j != i) {
          counts[labels[j]]++;
          for (int d = 0; d < features[j].length; d++) {
            sums[labels[j]][d] += features[j][d];
          }
        }
      }
      int best = 0;
      double bestDistance = Double.MAX_VALUE;
      for (int c = 0; c < classes; c++) {
        double distance = 0;
        for (int d = 0; d < features[i].length; d++) {
          double diff = sums[c][d] / counts[c] - features[i][d];
          distance += diff * diff;
        }
        if (distance < bestDistance) {
          bestDistance = distance;
          best = c;
        }
      }
      correct += best == labels[i] ? 1 : 0;
    }
    return correct / (double) features.length;
  }
}
