package crisscross.evaluation.extract;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.evaluation.ProgressBar;
import crisscross.evaluation.TinySetup;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.FetchFailedException;
import crisscross.pipeline.source.LocalMedia;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import crisscross.pipeline.stream.BadFiles;
import crisscross.pipeline.stream.PipelineMetrics;
import crisscross.trainer.method.FeatureFile;
import crisscross.trainer.model.Backbones;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XDC's per-round features of every training sample, on generated media, with the run's record of bad files. */
class TrainingSetFeaturesIT {
  @TempDir Path dir;

  /** The real store, counting the fetches of each sample. */
  static final class CountingMedia implements MediaStore {
    final MediaStore store;
    final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    CountingMedia(MediaStore store) {
      this.store = store;
    }

    @Override
    public LocalMedia fetch(SampleRef sample) throws FetchFailedException {
      fetches.computeIfAbsent(sample.id(), id -> new AtomicInteger()).incrementAndGet();
      return store.fetch(sample);
    }

    int fetches(String id) {
      return fetches.getOrDefault(id, new AtomicInteger()).get();
    }

    @Override
    public void close() {
      store.close();
    }
  }

  @Test
  void aFileTheRunKnowsToBeUnusableForAModalityIsNotOpenedForItsFeaturesAtAnyRound() throws Exception {
    Path corpus = TinySetup.corpus(dir.resolve("corpus"), 4, 2);
    Settings settings = TinySetup.settings("data.root=" + corpus, "data.split=all");
    List<SampleRef> samples = Datasets.open(DataSettings.from(settings)).samples();
    String silent = samples.get(1).id();
    Path record = dir.resolve("bad-files.jsonl");
    Files.writeString(record, "{\"sample\":\"" + silent + "\",\"reason\":\"no_audio\",\"detail\":\"no audio stream\"}\n",
        StandardCharsets.UTF_8);
    BadFiles badFiles = BadFiles.open(record, new PipelineMetrics());
    try (CountingMedia media = new CountingMedia(MediaStore.open(DataSettings.from(settings)));
        Backbones backbones = Backbones.initial(ModelSettings.from(settings), Set.of(Modality.VIDEO,
            Modality.AUDIO), 7);
        TrainingSetFeatures features = new TrainingSetFeatures(ExtractionSettings.from(settings), media, samples,
            badFiles, ProgressBar.silent())) {
      for (int round = 1; round <= 2; round++) {
        try (FeatureFile audio = features.extract(backbones, Modality.AUDIO, dir.resolve("audio-" + round + ".f32"),
            "round " + round + ", audio")) {
          assertThat(audio.isPresent(1)).isFalse();
          assertThat(audio.presentCount()).isEqualTo(samples.size() - 1);
        }
      }
      assertThat(media.fetches(silent)).as("never opened for audio features").isZero();
      assertThat(media.fetches(samples.get(0).id())).isEqualTo(2);
      try (FeatureFile video = features.extract(backbones, Modality.VIDEO, dir.resolve("video.f32"), "video")) {
        assertThat(video.isPresent(1)).as("its video is usable").isTrue();
      }
      assertThat(media.fetches(silent)).isEqualTo(1);
    }
  }
}
