package crisscross.app;

import crisscross.pipeline.config.Settings;
import crisscross.pipeline.inspect.ClipCaption;
import crisscross.pipeline.inspect.ViewImages;
import crisscross.pipeline.sample.ClipCounts;
import crisscross.pipeline.sample.ViewPlan;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Dataset;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import crisscross.pipeline.statistics.DatasetAudioStatistics;
import crisscross.pipeline.stream.DecodingSampleLoader;
import crisscross.pipeline.stream.LoadedSample;
import crisscross.pipeline.stream.PipelineSettings;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.MethodContext;
import crisscross.trainer.method.Methods;
import crisscross.trainer.optim.OptimSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crisscross inspect}: pictures of one sample's training clips, exactly as the trainer receives them. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Write the clips the configured method trains on for one sample as PNG images (v1.png, v2.png, "
        + "...: frame strips; a1.png, ...: spectrograms) plus views.txt with where they were cut, so a person can see "
        + "what the trainer sees.",
        "Uses the demo configuration unless --config is given; the clips are those of epoch 0."})
final class InspectCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Dataset root (a directory, a manifest or s3://bucket/prefix): sets data.root.")
  String data;

  @Option(names = "--index", paramLabel = "I", description = "Dataset index of the sample (canonical order).")
  int index = 0;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the images.")
  Path out;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    Settings settings = config.load("demo", List.of("data.root=" + data));
    PipelineSettings pipeline = PipelineSettings.from(settings);
    DataSettings dataSettings = pipeline.data().withSplit("all");
    Dataset dataset = Datasets.open(dataSettings);
    if (index < 0 || index >= dataset.samples().size()) {
      throw new UserError("--index " + index + " is outside the dataset (" + dataset.samples().size() + " samples)");
    }
    SampleRef sample = dataset.samples().get(index);
    long seed = settings.runSeed();
    long drawKey = sample.index();
    LoadedSample.Visit visit = new LoadedSample.Visit(0, 0, sample.index(), sample.id(), drawKey, false);
    try (MediaStore store = MediaStore.open(dataSettings)) {
      Method method = Methods.from(MethodContext.withoutData(settings, OptimSettings.from(settings)));
      ClipCounts clips = method.clips();
      // The views are standardised as a run on the configured (training) split would standardise them.
      PipelineSettings stages = PipelineSettings.from(DatasetAudioStatistics.resolve(settings,
          Datasets.open(pipeline.data()).samples(), store));
      DecodingSampleLoader loader = DecodingSampleLoader.create(stages, store, clips);
      DecodingSampleLoader.Detailed loaded = loader.loadDetailed(sample, visit, true);
      if (loaded.sample() instanceof LoadedSample.Skipped skipped) {
        throw new UserError("sample " + index + " (" + sample.id() + ") is skipped by the pipeline: "
            + skipped.reason().label() + ": " + skipped.detail());
      }
      LoadedSample.Views views = (LoadedSample.Views) loaded.sample();
      Files.createDirectories(out);
      int frames = pipeline.sampling().framesPerView();
      int crop = pipeline.video().cropSize();
      int bands = pipeline.audio().melBands();
      int audioFrames = pipeline.audio().outputFrames();
      double[] mean = pipeline.video().normalizeMean().stream().mapToDouble(Double::doubleValue).toArray();
      double[] std = pipeline.video().normalizeStd().stream().mapToDouble(Double::doubleValue).toArray();
      int scale = Math.max(1, 320 / Math.max(bands, audioFrames / 2));
      ViewPlan plan = loaded.plan().orElseThrow();
      int fps = pipeline.sampling().videoFps();
      int rate = pipeline.sampling().audioSampleRate();
      StringBuilder text = new StringBuilder(String.format(Locale.ROOT, """
          sample       %d: %s (label %s, split %s)
          method       %s (%s): %s
          relaxation   %s
          """, index, sample.id(), sample.label().orElse("-"), sample.split().isEmpty() ? "-" : sample.split(),
          method.name(), method.variant(), clips, clips.pairs() == 1
              ? "one pair per sample, placed like none" : plan.mode().name().toLowerCase(Locale.ROOT)));
      for (int clip = 1; clip <= views.video().size(); clip++) {
        write(ViewImages.videoStrip(views.video().get(clip - 1), frames, crop, mean, std), "v" + clip + ".png");
        text.append(ClipCaption.video("v" + clip, plan.videoViewStart(clip), plan.videoTiming(clip, fps), frames))
            .append('\n');
      }
      // The audio clips in the order the method receives them: its pairs' clips, then the playback clips.
      List<Integer> audioClips = views.audio().isEmpty() ? List.of() : plan.audioClipsUsed(clips.audio());
      for (int clip = 1; clip <= views.audio().size(); clip++) {
        write(ViewImages.spectrogram(views.audio().get(clip - 1), bands, audioFrames, scale), "a" + clip + ".png");
        text.append(ClipCaption.audio("a" + clip, plan.audioTiming(audioClips.get(clip - 1), rate))).append('\n');
      }
      text.append(String.format(Locale.ROOT, """
          video view   %d frames at %d fps, %dx%d crop
          audio view   %d mel bands x %d frames
          """, frames, fps, crop, crop, bands, audioFrames));
      Files.writeString(out.resolve("views.txt"), text);
      System.out.print(text);
      System.out.println("images in " + out.toAbsolutePath());
    }
    return 0;
  }

  private void write(BufferedImage image, String name) throws Exception {
    ImageIO.write(image, "png", out.resolve(name).toFile());
  }
}
