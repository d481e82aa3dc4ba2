package crisscross.evaluation.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import crisscross.evaluation.features.Clip;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.FeatureExtractor;
import crisscross.pipeline.io.Npy;
import crisscross.pipeline.io.NpyArray;
import crisscross.pipeline.source.SampleRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracted clip features on disk. An entry is three files named by {@link CacheKey#id()}: {@code <id>.npy}
 * (float32 {@code [clips, dimension]}, the project's {@link Npy}), {@code <id>.clips.tsv} (sample id, clip index,
 * label, group, split per row) and {@code <id>.json}, a small sidecar with the full key, the shape, the class names
 * and the SHA-256 of the other two files. Every file is written to a temporary name and renamed; the sidecar is
 * written last and removed first, so an entry is visible only when complete.
 *
 * <p>A sidecar that is unreadable, names another key, or whose checksums or shape do not match its files marks the
 * entry as bad: it is logged, recomputed and overwritten. One writer per directory is assumed.
 */
public final class FeatureCache {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
  private static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;

  public FeatureCache(Path directory) {
    this.directory = directory;
  }

  /** Computes features when the cache holds no valid entry for the key. */
  @FunctionalInterface
  public interface Computation {
    ClipFeatures compute() throws IOException;
  }

  public Path directory() {
    return directory;
  }

  /**
   * The extractor's features of these samples, from the cache when a valid entry exists, otherwise extracted and
   * stored.
   */
  public ClipFeatures features(FeatureExtractor extractor, List<SampleRef> samples, List<String> classNames)
      throws IOException {
    CacheKey key = new CacheKey(extractor.checkpointHash(), CacheKey.datasetHash(samples, classNames),
        extractor.settingsHash());
    return getOrCompute(key, () -> extractor.extract(samples, classNames));
  }

  /** The cached features of {@code key}, or {@code compute}'s result, which is then stored under the key. */
  public ClipFeatures getOrCompute(CacheKey key, Computation compute) throws IOException {
    Optional<ClipFeatures> cached = load(key);
    if (cached.isPresent()) {
      LOG.info("features {} read from {}", key.id(), directory);
      return cached.get();
    }
    ClipFeatures features = compute.compute();
    store(key, features);
    return features;
  }

  /** The valid entry of {@code key}, or empty when there is none or it is damaged or mismatched (logged). */
  public Optional<ClipFeatures> load(CacheKey key) {
    Path sidecar = sidecar(key);
    if (!Files.exists(sidecar)) {
      return Optional.empty();
    }
    try {
      return Optional.of(read(key, sidecar));
    } catch (NoSuchFileException e) {
      LOG.warn("feature cache entry {} is unusable and will be recomputed: {} is missing", sidecar, e.getFile());
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.warn("feature cache entry {} is unusable and will be recomputed: {}", sidecar, e.getMessage());
      return Optional.empty();
    }
  }

  /** Writes an entry, replacing any previous one of the same key. */
  public void store(CacheKey key, ClipFeatures features) throws IOException {
    Files.createDirectories(directory);
    Files.deleteIfExists(sidecar(key));
    float[] flat = new float[features.size() * features.dimension()];
    for (int i = 0; i < features.size(); i++) {
      System.arraycopy(features.row(i), 0, flat, i * features.dimension(), features.dimension());
    }
    byte[] npy = Npy.toBytes(NpyArray.float32(new long[] {features.size(), features.dimension()}, flat));
    byte[] tsv = clipsTable(features.clips()).getBytes(StandardCharsets.UTF_8);
    writeAtomically(featuresFile(key), npy);
    writeAtomically(clipsFile(key), tsv);

    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    ObjectNode keyNode = root.putObject("key");
    keyNode.put("checkpoint", key.checkpointHash());
    keyNode.put("dataset", key.datasetHash());
    keyNode.put("settings", key.settingsHash());
    root.put("clips", features.size());
    root.put("dimension", features.dimension());
    ArrayNode names = root.putArray("class_names");
    features.classNames().forEach(names::add);
    root.put("features_sha256", sha256(npy));
    root.put("clips_sha256", sha256(tsv));
    root.put("created", Instant.now().toString());
    writeAtomically(sidecar(key), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    LOG.info("features {} ({}) stored in {}", key.id(), features, directory);
  }

  private ClipFeatures read(CacheKey key, Path sidecar) throws IOException {
    JsonNode root = JSON.readTree(sidecar.toFile());
    if (root == null || root.path("format").asInt() != FORMAT) {
      throw new IOException("unknown sidecar format");
    }
    JsonNode keyNode = root.path("key");
    CacheKey stored = new CacheKey(keyNode.path("checkpoint").asText(), keyNode.path("dataset").asText(),
        keyNode.path("settings").asText());
    if (!stored.equals(key)) {
      throw new IOException("it holds features of another key " + stored);
    }
    byte[] npy = Files.readAllBytes(featuresFile(key));
    byte[] tsv = Files.readAllBytes(clipsFile(key));
    if (!sha256(npy).equals(root.path("features_sha256").asText())) {
      throw new IOException(featuresFile(key).getFileName() + " does not match its checksum");
    }
    if (!sha256(tsv).equals(root.path("clips_sha256").asText())) {
      throw new IOException(clipsFile(key).getFileName() + " does not match its checksum");
    }
    int clips = root.path("clips").asInt(-1);
    int dimension = root.path("dimension").asInt(-1);
    NpyArray array = Npy.parse(npy);
    if (array.rank() != 2 || array.shape()[0] != clips || array.shape()[1] != dimension) {
      throw new IOException("features of shape " + Arrays.toString(array.shape()) + ", sidecar says ["
          + clips + ", " + dimension + "]");
    }
    List<String> classNames = new ArrayList<>();
    root.path("class_names").forEach(n -> classNames.add(n.asText()));
    List<Clip> clipList = parseClipsTable(new String(tsv, StandardCharsets.UTF_8), clips);
    float[] flat = array.toFloats();
    float[][] rows = new float[clips][];
    for (int i = 0; i < clips; i++) {
      rows[i] = Arrays.copyOfRange(flat, i * dimension, (i + 1) * dimension);
    }
    return ClipFeatures.of(classNames, clipList, rows);
  }

  private static String clipsTable(List<Clip> clips) {
    StringBuilder out = new StringBuilder("sample_id\tclip\tlabel\tgroup\tsplit\n");
    for (Clip clip : clips) {
      out.append(escape(clip.sampleId())).append('\t').append(clip.clipIndex()).append('\t').append(clip.label())
          .append('\t').append(escape(clip.group())).append('\t').append(escape(clip.split())).append('\n');
    }
    return out.toString();
  }

  private static List<Clip> parseClipsTable(String text, int expected) throws IOException {
    String[] lines = text.split("\n", -1);
    if (lines.length != expected + 2 || !lines[lines.length - 1].isEmpty()) {
      throw new IOException("clip table has " + (lines.length - 2) + " rows, expected " + expected);
    }
    List<Clip> clips = new ArrayList<>(expected);
    for (int i = 1; i <= expected; i++) {
      String[] cells = lines[i].split("\t", -1);
      if (cells.length != 5) {
        throw new IOException("clip table row " + i + " has " + cells.length + " cells");
      }
      try {
        clips.add(new Clip(unescape(cells[0]), Integer.parseInt(cells[1]), Integer.parseInt(cells[2]),
            unescape(cells[3]), unescape(cells[4])));
      } catch (IllegalArgumentException e) {
        throw new IOException("clip table row " + i + ": " + e.getMessage(), e);
      }
    }
    return clips;
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
  }

  private static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path temp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
    try {
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  Path sidecar(CacheKey key) {
    return directory.resolve(key.id() + ".json");
  }

  Path featuresFile(CacheKey key) {
    return directory.resolve(key.id() + ".npy");
  }

  Path clipsFile(CacheKey key) {
    return directory.resolve(key.id() + ".clips.tsv");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
