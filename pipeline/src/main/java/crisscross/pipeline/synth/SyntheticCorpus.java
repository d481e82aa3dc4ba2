package crisscross.pipeline.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import crisscross.pipeline.random.SampleRandom;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Generates the labelled synthetic audio-visual corpus: real H.264/AAC MP4 clips in one folder per class, a
 * {@code manifest.csv} ({@code path,label,split}, paths relative to the corpus folder, train/test split stratified by
 * class) and a {@code corpus.json} marker recording the settings. The same settings give the same corpus, byte for
 * byte, whatever the number of threads.
 *
 * <p>A folder is only written into if it is empty, missing, or holds a corpus generated before (whose clips are
 * then replaced); anything else is refused so that a mistyped path never loses data.
 */
public final class SyntheticCorpus {
  public static final String MANIFEST = "manifest.csv";
  public static final String MARKER = "corpus.json";
  private static final String GENERATOR = "crisscross synth";
  private static final String PARTIAL = ".part";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SyntheticCorpus() {}

  /** Reports progress: {@code done} of {@code total} clips written. Called from worker threads. */
  @FunctionalInterface
  public interface Progress {
    void clipsDone(int done, int total);
  }

  /** One clip of the corpus, before it is generated. */
  public record Clip(int index, ClassSignature signature, String path, String split) {}

  public static CorpusSummary generate(SynthSettings settings, Path out) throws IOException {
    return generate(settings, out, (done, total) -> { });
  }

  /**
   * Writes the corpus into {@code out}, replacing a corpus generated there before.
   *
   * @throws FileAlreadyExistsException if {@code out} holds other files
   */
  public static CorpusSummary generate(SynthSettings settings, Path out, Progress progress) throws IOException {
    long started = System.nanoTime();
    prepare(out);
    List<ClassSignature> classes = ClassSignature.all(settings.classes());
    List<Clip> clips = plan(settings, classes);
    writeMarker(out, settings, classes, clips, false);
    for (ClassSignature signature : classes) {
      Files.createDirectories(out.resolve(signature.label()));
    }
    writeClips(settings, out, clips, progress);
    writeManifest(out, clips);
    writeMarker(out, settings, classes, clips, true);
    return summary(out, settings, classes, clips, (System.nanoTime() - started) / 1e9);
  }

  /**
   * The corpus in {@code out} if it was completely generated with {@code settings}, else a freshly generated one:
   * what the main job calls when its demo data may be missing.
   */
  public static CorpusSummary ensure(SynthSettings settings, Path out, Progress progress) throws IOException {
    Optional<SynthSettings> existing = existingSettings(out);
    if (existing.isPresent() && existing.get().equals(settings.withThreads(existing.get().threads()))) {
      List<ClassSignature> classes = ClassSignature.all(settings.classes());
      return summary(out, settings, classes, plan(settings, classes), 0);
    }
    return generate(settings, out, progress);
  }

  /** The settings of a completely generated corpus in {@code dir}, if there is one. */
  public static Optional<SynthSettings> existingSettings(Path dir) throws IOException {
    Path marker = dir.resolve(MARKER);
    if (!Files.isRegularFile(marker) || !Files.isRegularFile(dir.resolve(MANIFEST))) {
      return Optional.empty();
    }
    JsonNode root = readMarker(marker);
    if (root == null || !root.path("complete").asBoolean(false)) {
      return Optional.empty();
    }
    return Optional.of(JSON.treeToValue(root.get("settings"), SynthSettings.class));
  }

  /**
   * Which clip is which: clip {@code i} belongs to class {@code i mod classes}; within each class a seeded shuffle
   * picks {@code testFraction} of the clips (at least one when the class has two or more) for the test split.
   */
  public static List<Clip> plan(SynthSettings settings, List<ClassSignature> classes) {
    int k = classes.size();
    boolean[] test = new boolean[settings.clips()];
    for (int c = 0; c < k; c++) {
      int members = (settings.clips() - c + k - 1) / k;
      int testCount = (int) Math.round(members * settings.testFraction());
      if (settings.testFraction() > 0 && members >= 2) {
        testCount = Math.max(1, Math.min(members - 1, testCount));
      }
      int[] order = new int[members];
      for (int j = 0; j < members; j++) {
        order[j] = j;
      }
      SampleRandom.of(settings.seed()).fork("split").fork(c).shuffle(order);
      for (int j = 0; j < testCount; j++) {
        test[c + order[j] * k] = true;
      }
    }
    List<Clip> clips = new ArrayList<>(settings.clips());
    for (int i = 0; i < settings.clips(); i++) {
      ClassSignature signature = classes.get(i % k);
      String path = String.format(Locale.ROOT, "%s/%s-%04d.mp4", signature.label(), signature.label(), i / k);
      clips.add(new Clip(i, signature, path, test[i] ? "test" : "train"));
    }
    return List.copyOf(clips);
  }

  /** The script of clip {@code index}: its own random stream, so clips do not depend on each other or on threads. */
  public static ClipScript script(SynthSettings settings, ClassSignature signature, int index) {
    return new ClipScript(signature, settings, SampleRandom.of(settings.seed()).fork("clip").fork(index));
  }

  private static void prepare(Path out) throws IOException {
    if (!Files.exists(out)) {
      Files.createDirectories(out);
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new NotDirectoryException(out + " is not a directory");
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(out)) {
      if (!entries.iterator().hasNext()) {
        return;
      }
    }
    JsonNode marker = Files.isRegularFile(out.resolve(MARKER)) ? readMarker(out.resolve(MARKER)) : null;
    if (marker == null || !GENERATOR.equals(marker.path("generator").asText())) {
      throw new FileAlreadyExistsException(out.toString(), null, "the folder is not empty and holds no synthetic "
          + "corpus (" + MARKER + "); refusing to write into it");
    }
    for (JsonNode label : marker.path("classes")) {
      Path folder = out.resolve(label.asText()).normalize();
      if (!folder.getParent().equals(out.normalize()) || !Files.isDirectory(folder)) {
        continue;
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{mp4,part}")) {
        for (Path file : files) {
          Files.delete(file);
        }
      }
      try (DirectoryStream<Path> rest = Files.newDirectoryStream(folder)) {
        if (!rest.iterator().hasNext()) {
          Files.delete(folder);
        }
      }
    }
    Files.deleteIfExists(out.resolve(MANIFEST));
    Files.deleteIfExists(out.resolve(MARKER));
  }

  private static JsonNode readMarker(Path marker) {
    try {
      return JSON.readTree(marker.toFile());
    } catch (IOException e) {
      return null;
    }
  }

  private static void writeClips(SynthSettings settings, Path out, List<Clip> clips, Progress progress)
      throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(settings.effectiveThreads(), runnable -> {
      Thread thread = new Thread(runnable, "synth");
      thread.setDaemon(true);
      return thread;
    });
    AtomicInteger done = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>(clips.size());
      for (Clip clip : clips) {
        futures.add(pool.submit(() -> {
          writeClip(settings, out, clip);
          progress.clipsDone(done.incrementAndGet(), clips.size());
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("generating the corpus failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while generating the corpus", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Encodes one clip next to its final name and renames it, so that an interrupted run leaves no half clip. */
  static void writeClip(SynthSettings settings, Path out, Clip clip) throws IOException {
    ClipScript script = script(settings, clip.signature(), clip.index());
    Path target = out.resolve(clip.path());
    Path partial = target.resolveSibling(target.getFileName() + PARTIAL);
    int videoBitrate = Math.max(100_000, (int) Math.min(20_000_000L,
        (long) settings.width() * settings.height() * settings.fps() / 4));
    MediaWriter.Spec spec = new MediaWriter.Spec(MediaWriter.Container.MP4, settings.width(), settings.height(),
        settings.fps(), settings.fps(), videoBitrate, settings.sampleRate(), 1, 64_000, false);
    float[] sound = script.sound();
    byte[] rgb = new byte[settings.width() * settings.height() * 3];
    try (MediaWriter writer = MediaWriter.open(partial, spec)) {
      long written = 0;
      for (int frame = 0; frame < script.frameCount(); frame++) {
        script.draw(frame, rgb);
        writer.writeFrame(rgb);
        long until = Math.min(sound.length, Math.round((frame + 1) / (double) settings.fps() * settings.sampleRate()));
        if (until > written) {
          float[] chunk = new float[(int) (until - written)];
          System.arraycopy(sound, (int) written, chunk, 0, chunk.length);
          writer.writeAudio(chunk, chunk.length);
          written = until;
        }
      }
    }
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeManifest(Path out, List<Clip> clips) throws IOException {
    StringBuilder csv = new StringBuilder("path,label,split\n");
    for (Clip clip : clips) {
      csv.append(clip.path()).append(',').append(clip.signature().label()).append(',').append(clip.split())
          .append('\n');
    }
    Path partial = out.resolve(MANIFEST + PARTIAL);
    Files.writeString(partial, csv, StandardCharsets.UTF_8);
    Files.move(partial, out.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeMarker(Path out, SynthSettings settings, List<ClassSignature> classes, List<Clip> clips,
      boolean complete) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("generator", GENERATOR);
    root.put("complete", complete);
    root.set("settings", JSON.valueToTree(settings));
    root.put("clips", clips.size());
    var labels = root.putArray("classes");
    for (ClassSignature signature : classes) {
      labels.add(signature.label());
    }
    Path partial = out.resolve(MARKER + PARTIAL);
    JSON.writeValue(partial.toFile(), root);
    Files.move(partial, out.resolve(MARKER), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static CorpusSummary summary(Path out, SynthSettings settings, List<ClassSignature> classes,
      List<Clip> clips, double seconds) throws IOException {
    long bytes = 0;
    int test = 0;
    for (Clip clip : clips) {
      bytes += Files.size(out.resolve(clip.path()));
      test += clip.split().equals("test") ? 1 : 0;
    }
    List<String> labels = classes.stream().map(ClassSignature::label).toList();
    return new CorpusSummary(out, out.resolve(MANIFEST), settings, labels, clips.size() - test, test, bytes,
        seconds);
  }
}
