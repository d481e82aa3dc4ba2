package crisscross.pipeline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.source.SampleRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadFilesTest {
  @TempDir Path dir;

  /** A loader that fails samples by id as told and counts how often each is loaded. */
  static final class ScriptedLoader implements SampleLoader {
    final Map<String, SkipReason> failures;
    final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

    ScriptedLoader(Map<String, SkipReason> failures) {
      this.failures = failures;
    }

    @Override
    public LoadedSample load(SampleRef sample, LoadedSample.Visit visit) {
      loads.computeIfAbsent(sample.id(), id -> new AtomicInteger()).incrementAndGet();
      if (sample.id().equals("crashes")) {
        throw new IllegalStateException("a bug, not a bad file");
      }
      SkipReason reason = failures.get(sample.id());
      return reason == null ? new LoadedSample.Views(visit, List.of(new float[1]), List.of())
          : new LoadedSample.Skipped(visit, reason, sample.id() + ": " + reason.label());
    }

    int loads(String id) {
      return loads.getOrDefault(id, new AtomicInteger()).get();
    }
  }

  static SampleRef sample(String id) {
    return new SampleRef(0, id, id + ".mp4", Optional.empty(), "train", id);
  }

  static LoadedSample load(SampleLoader loader, String id, int epoch) {
    return loader.load(sample(id), new LoadedSample.Visit(epoch, 0, 0, id, 0, false));
  }

  @Test
  void aFileThatFailsForGoodIsLoadedOnceAndSkippedWithItsReasonAfterwards() {
    ScriptedLoader files = new ScriptedLoader(Map.of("silent", SkipReason.NO_AUDIO, "cut", SkipReason.TRUNCATED_AUDIO,
        "slow", SkipReason.TIMEOUT));
    PipelineMetrics metrics = new PipelineMetrics();
    SampleLoader loader = BadFiles.inMemory(metrics).skipping(files);
    for (int epoch = 0; epoch < 6; epoch++) {
      for (String id : new String[] {"good", "silent", "cut", "slow"}) {
        load(loader, id, epoch);
      }
      assertThat(load(loader, "silent", epoch)).isInstanceOfSatisfying(LoadedSample.Skipped.class, skipped -> {
        assertThat(skipped.reason()).isEqualTo(SkipReason.NO_AUDIO);
        assertThat(skipped.detail()).isEqualTo("silent: no_audio");
      });
    }
    assertThat(files.loads("silent")).as("opened once in six epochs").isEqualTo(1);
    assertThat(files.loads("cut")).as("another window may be whole: tried every visit").isEqualTo(6);
    assertThat(files.loads("slow")).as("a timeout passes").isEqualTo(6);
    assertThat(files.loads("good")).isEqualTo(6);
    assertThat(metrics.badFiles(SkipReason.NO_AUDIO)).isEqualTo(1);
    assertThat(metrics.badFiles(SkipReason.TRUNCATED_AUDIO)).isZero();
  }

  @Test
  void aKnownBadFileIsUnusableForTheLoadsThatNeedWhatItLacks() {
    ScriptedLoader files = new ScriptedLoader(Map.of("silent", SkipReason.NO_AUDIO, "black", SkipReason.NO_VIDEO,
        "garbage", SkipReason.UNREADABLE, "brief", SkipReason.TOO_SHORT));
    BadFiles bad = BadFiles.inMemory(new PipelineMetrics());
    SampleLoader loader = bad.skipping(files);
    for (String id : new String[] {"silent", "black", "garbage", "brief", "good"}) {
      load(loader, id, 0);
    }
    assertThat(bad.unusableFor("silent", true, false)).as("video-only load of a file without audio").isEmpty();
    assertThat(bad.unusableFor("silent", false, true)).map(BadFiles.Entry::reason).contains(SkipReason.NO_AUDIO);
    assertThat(bad.unusableFor("black", false, true)).isEmpty();
    assertThat(bad.unusableFor("black", true, true)).map(BadFiles.Entry::reason).contains(SkipReason.NO_VIDEO);
    assertThat(bad.unusableFor("garbage", true, false)).map(BadFiles.Entry::reason).contains(SkipReason.UNREADABLE);
    assertThat(bad.unusableFor("garbage", false, true)).isPresent();
    assertThat(bad.unusableFor("brief", true, true)).as("another load's window may fit").isEmpty();
    assertThat(bad.unusableFor("good", true, true)).isEmpty();
  }

  @Test
  void aLoaderThatThrowsIsNotTakenForABadFile() {
    ScriptedLoader files = new ScriptedLoader(Map.of());
    BadFiles bad = BadFiles.inMemory(new PipelineMetrics());
    SampleLoader loader = bad.skipping(files);
    assertThatThrownBy(() -> load(loader, "crashes", 0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> load(loader, "crashes", 1)).isInstanceOf(IllegalStateException.class);
    assertThat(bad.get("crashes")).isEmpty();
  }

  @Test
  void aResumedRunKnowsTheBadFilesOfTheRunAndDoesNotLogThemAgain() throws Exception {
    Path record = dir.resolve("bad-files.jsonl");
    ScriptedLoader files = new ScriptedLoader(Map.of("silent", SkipReason.NO_AUDIO, "black\tand\nnew",
        SkipReason.NO_VIDEO));
    SampleLoader first = BadFiles.open(record, new PipelineMetrics()).skipping(files);
    load(first, "silent", 0);
    load(first, "black\tand\nnew", 0);
    load(first, "good", 0);
    // Killed while appending a third line.
    Files.writeString(record, "{\"sample\":\"torn\",\"rea", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    PipelineMetrics metrics = new PipelineMetrics();
    BadFiles resumed = BadFiles.open(record, metrics);
    assertThat(resumed.get("silent")).contains(new BadFiles.Entry(SkipReason.NO_AUDIO, "silent: no_audio"));
    assertThat(resumed.get("black\tand\nnew")).map(BadFiles.Entry::reason).contains(SkipReason.NO_VIDEO);
    assertThat(resumed.get("torn")).isEmpty();
    assertThat(resumed.count(SkipReason.NO_AUDIO)).isEqualTo(1);
    assertThat(metrics.badFiles(SkipReason.NO_VIDEO)).isEqualTo(1);
    LoadedSample again = load(resumed.skipping(files), "silent", 1);
    assertThat(files.loads("silent")).as("not opened again after the resume").isEqualTo(1);
    assertThat(again).isInstanceOf(LoadedSample.Skipped.class);
    assertThat(metrics.loggedBefore("silent", SkipReason.NO_AUDIO)).as("its warning was the first run's").isTrue();
  }
}
