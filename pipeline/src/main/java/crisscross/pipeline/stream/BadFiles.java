package crisscross.pipeline.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.source.SampleRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The samples of a run whose files failed for a {@linkplain SkipReason#permanent() permanent} reason, so that later
 * visits skip them without opening the file, and they are logged once per run rather than once per epoch. Kept in
 * the run directory as JSON lines (one appended and flushed per file found), so a resumed run knows them too; a line
 * torn by a kill is ignored, and that file is simply found again. Thread-safe.
 */
public final class BadFiles {
  private static final Logger LOG = LoggerFactory.getLogger(BadFiles.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why a sample's file is unusable. */
  public record Entry(SkipReason reason, String detail) {}

  private final Map<String, Entry> known = new ConcurrentHashMap<>();
  private final Path file;
  private final PipelineMetrics metrics;

  private BadFiles(Path file, PipelineMetrics metrics) {
    this.file = file;
    this.metrics = metrics;
  }

  /** Remembered for this process only (evaluation, tests). */
  public static BadFiles inMemory(PipelineMetrics metrics) {
    return new BadFiles(null, metrics);
  }

  /**
   * The bad files recorded in {@code file} (created on the first one found), each counted in {@code metrics} and
   * marked as already logged.
   */
  public static BadFiles open(Path file, PipelineMetrics metrics) throws IOException {
    BadFiles bad = new BadFiles(file, metrics);
    if (Files.exists(file)) {
      int lineNumber = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = JSON.readTree(line);
          SkipReason reason = SkipReason.valueOf(node.get("reason").asText().toUpperCase(java.util.Locale.ROOT));
          bad.add(node.get("sample").asText(), new Entry(reason, node.get("detail").asText()));
        } catch (IOException | RuntimeException e) {
          LOG.warn("{} line {}: ignored ({}); that file will be tried again", file, lineNumber, e.getMessage());
        }
      }
      LOG.info("{} files known to be unusable from {}", bad.known.size(), file);
    }
    return bad;
  }

  public Optional<Entry> get(String sampleId) {
    return Optional.ofNullable(known.get(sampleId));
  }

  /**
   * The entry of a sample whose file is known to be unusable for a load that needs these streams: unreadable files
   * for any load, a missing stream for loads that need it. A clip too short for the training's window may hold
   * another load's shorter one, so {@code TOO_SHORT} is the training loader's own.
   */
  public Optional<Entry> unusableFor(String sampleId, boolean needsVideo, boolean needsAudio) {
    Entry entry = known.get(sampleId);
    if (entry == null) {
      return Optional.empty();
    }
    boolean applies = switch (entry.reason()) {
      case UNREADABLE -> true;
      case NO_VIDEO -> needsVideo;
      case NO_AUDIO -> needsAudio;
      default -> false;
    };
    return applies ? Optional.of(entry) : Optional.empty();
  }

  /** Files known, by reason. */
  public long count(SkipReason reason) {
    return known.values().stream().filter(e -> e.reason() == reason).count();
  }

  /** {@code loader}, but a sample whose file is known to be unusable is skipped without being loaded. */
  public SampleLoader skipping(SampleLoader loader) {
    return (SampleRef sample, LoadedSample.Visit visit) -> {
      Entry entry = known.get(sample.id());
      if (entry != null) {
        return new LoadedSample.Skipped(visit, entry.reason(), entry.detail());
      }
      LoadedSample result = loader.load(sample, visit);
      if (result instanceof LoadedSample.Skipped skipped && skipped.reason().permanent()) {
        remember(sample.id(), new Entry(skipped.reason(), skipped.detail()));
      }
      return result;
    };
  }

  private void remember(String sampleId, Entry entry) {
    if (known.putIfAbsent(sampleId, entry) != null) {
      return;
    }
    metrics.badFile(entry.reason());
    if (file == null) {
      return;
    }
    ObjectNode line = JSON.createObjectNode().put("sample", sampleId).put("reason", entry.reason().label())
        .put("detail", entry.detail());
    synchronized (this) {
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND)) {
        out.write(JSON.writeValueAsString(line) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot record the unusable file of sample " + sampleId + " in " + file, e);
      }
    }
  }

  private void add(String sampleId, Entry entry) {
    if (known.putIfAbsent(sampleId, entry) == null) {
      metrics.badFile(entry.reason());
      metrics.alreadyLogged(sampleId, entry.reason());
    }
  }
}
