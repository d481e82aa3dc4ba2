package crisscross.evaluation.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import crisscross.evaluation.ColourClips;
import crisscross.evaluation.ProgressBar;
import crisscross.evaluation.TinySetup;
import crisscross.evaluation.encoder.Encoder;
import crisscross.evaluation.extract.ClipLoader;
import crisscross.evaluation.extract.ClipSpec;
import crisscross.evaluation.extract.ClipStream;
import crisscross.evaluation.extract.ClipStyle;
import crisscross.evaluation.extract.ExtractionSettings;
import crisscross.evaluation.report.EncoderKind;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Dataset;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import crisscross.trainer.model.Backbones;
import crisscross.trainer.model.ModelSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Full finetuning on the tiny model: the loss falls, the finetuned network classifies held-out samples, and testing
 * averages 10 clean clips per sample.
 *
 * <p>The margins hold on every CPU: at this learning rate a from-scratch tiny network's trajectory is chaotic, so
 * float32 rounding differences between kernel families (AVX2, AVX-512) lead to different, equally valid, runs. At
 * batch 4 over 5 epochs two seeds in six missed the old bar on AVX-512 kernels (the test's own: loss 0.770 -> 0.778)
 * and none on AVX2; at batch 8 over 8 epochs 16 runs (8 seeds x both families) ended at 0.12-0.39 of the first
 * epoch's loss (bar: 0.6), and the 8 AVX-512 runs scored 0.875-1.0 on the 8 test samples (bar: 0.75, chance 0.5).
 */
class FinetunerIT {
  @TempDir Path dir;

  @Test
  void theTrainingLossFallsAndTestSamplesAreScoredOnTenClips() throws Exception {
    // Clips of one colour per class, and Table S1's chain without the colour jitter and greyscale that would hide
    // it: the test is about the training loop, which must visibly learn in 40 steps of a tiny model from scratch.
    Path corpus = ColourClips.write(dir.resolve("corpus"), 2, 10, 4, 1.5);
    Settings settings = TinySetup.settings("data.root=" + corpus, "data.split=all",
        "video.augment.jitter-probability=0", "video.augment.grayscale-probability=0",
        "evaluation.finetune.batch-size=8", "evaluation.finetune.epochs=8", "evaluation.finetune.milestones=[6]",
        "evaluation.finetune.lr=0.01", "evaluation.finetune.gamma=0.1", "evaluation.finetune.epoch-size=32");
    FinetuneSettings finetune = FinetuneSettings.from(settings);
    assertThat(finetune.frames()).as("the checkpoint's own frames").isEqualTo(4);
    assertThat(finetune.cropSize()).isEqualTo(32);
    assertThat(finetune.testClips()).as("E.2's default").isEqualTo(10);
    ExtractionSettings extraction = ExtractionSettings.from(settings);
    Dataset dataset = Datasets.open(DataSettings.from(settings));
    List<SampleRef> train = dataset.samples().stream().filter(s -> s.split().equals("train")).toList();
    List<SampleRef> test = dataset.samples().stream().filter(s -> s.split().equals("test")).toList();

    ActorSystem system = ActorSystem.create("finetuner-it");
    try (MediaStore media = MediaStore.open(DataSettings.from(settings));
        ClipStream stream = new ClipStream(2, Materializer.createMaterializer(system));
        Backbones model = Backbones.initial(ModelSettings.from(settings), java.util.Set.of(
            crisscross.trainer.model.Modality.VIDEO), 3)) {
      Encoder encoder = new Encoder(EncoderKind.RANDOM_INIT, model, "random initialisation", "random-init:test",
          "seed 3");
      INDArray before = model.parameters().get("video_backbone.stem_conv.weight").dup();
      ClipLoader trainLoader = extraction.videoLoader(media, ClipSpec.video(ClipStyle.TRAIN, 1, 4, 16), 32, true);
      ClipLoader testLoader = extraction.videoLoader(media, ClipSpec.video(ClipStyle.TEST, 10, 4, 16), 32, false);
      FinetuneResult.FinetuneSplit result = new Finetuner(finetune, stream, ProgressBar.silent(), 42)
          .run("test", "tiny finetuning", encoder, train, test, dataset.classNames(), trainLoader, testLoader);

      assertThat(result.epochs()).hasSize(8);
      assertThat(result.epochs()).allSatisfy(e -> assertThat(e.steps()).isEqualTo(4));
      assertThat(result.epochs().get(5).lr()).isEqualTo(0.01);
      assertThat(result.epochs().get(6).lr()).isEqualTo(0.01 * 0.1, within(1e-12));
      double first = result.epochs().get(0).meanLoss();
      double last = (result.epochs().get(6).meanLoss() + result.epochs().get(7).meanLoss()) / 2;
      assertThat(first).as("about ln 2 at the start").isBetween(0.4, 1.2);
      assertThat(last).as("the loss falls (mean of the last two epochs)").isLessThan(0.6 * first);
      assertThat(result.trainClips()).isEqualTo(8 * 32);

      assertThat(result.testSamples()).isEqualTo(test.size());
      assertThat(result.testClips()).isEqualTo(10 * test.size());
      assertThat(Arrays.stream(result.confusion()).flatMapToInt(Arrays::stream).sum()).isEqualTo(test.size());
      assertThat(result.top1()).as("the finetuned network, not the initial one, is tested")
          .isGreaterThanOrEqualTo(0.75);
      assertThat(model.parameters().get("video_backbone.stem_conv.weight").equalsWithEps(before, 0))
          .as("the encoder itself is not changed by finetuning a copy").isTrue();
    } finally {
      system.terminate();
    }
  }
}
