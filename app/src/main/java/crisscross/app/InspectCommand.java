package crisscross.app;

import crisscross.pipeline.config.Settings;
import crisscross.pipeline.inspect.ViewImages;
import crisscross.pipeline.sample.SamplingSettings;
import crisscross.pipeline.sample.ViewPlan;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Dataset;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import crisscross.pipeline.stream.DecodingSampleLoader;
import crisscross.pipeline.stream.LoadedSample;
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

/** {@code crisscross inspect}: pictures of one sample's four views, exactly as the trainer receives them. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Write one sample's four training views as PNG images (v1.png, v2.png: frame strips; a1.png, "
        + "a2.png: spectrograms) plus views.txt with where they were cut, so a person can see what the trainer sees.",
        "Uses the demo configuration unless --config is given; the views are those of epoch 0."})
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
    DataSettings dataSettings = DataSettings.from(settings).withSplit("all");
    Dataset dataset = Datasets.open(dataSettings);
    if (index < 0 || index >= dataset.samples().size()) {
      throw new UserError("--index " + index + " is outside the dataset (" + dataset.samples().size() + " samples)");
    }
    SampleRef sample = dataset.samples().get(index);
    long seed = settings.runSeed();
    long drawKey = sample.index();
    LoadedSample.Visit visit = new LoadedSample.Visit(0, 0, sample.index(), sample.id(), drawKey, false);
    try (MediaStore store = MediaStore.open(dataSettings)) {
      DecodingSampleLoader loader = DecodingSampleLoader.fromSettings(settings, store, true, true);
      DecodingSampleLoader.Detailed loaded = loader.loadDetailed(sample, visit, true);
      if (loaded.sample() instanceof LoadedSample.Skipped skipped) {
        throw new UserError("sample " + index + " (" + sample.id() + ") is skipped by the pipeline: "
            + skipped.reason().label() + ": " + skipped.detail());
      }
      LoadedSample.Views views = (LoadedSample.Views) loaded.sample();
      Files.createDirectories(out);
      int frames = SamplingSettings.framesPerView(settings);
      int crop = settings.integer("video.crop-size", 1, 4096);
      int bands = settings.integer("audio.mel-bands", 1, 1024);
      int audioFrames = settings.integer("audio.output-frames", 1, 100_000);
      double[] mean = settings.reals("video.normalize-mean", -10, 10).stream().mapToDouble(Double::doubleValue)
          .toArray();
      double[] std = settings.reals("video.normalize-std", 1e-6, 10).stream().mapToDouble(Double::doubleValue)
          .toArray();
      write(ViewImages.videoStrip(views.v1(), frames, crop, mean, std), "v1.png");
      write(ViewImages.videoStrip(views.v2(), frames, crop, mean, std), "v2.png");
      int scale = Math.max(1, 320 / Math.max(bands, audioFrames / 2));
      write(ViewImages.spectrogram(views.a1(), bands, audioFrames, scale), "a1.png");
      write(ViewImages.spectrogram(views.a2(), bands, audioFrames, scale), "a2.png");
      ViewPlan plan = loaded.plan().orElseThrow();
      int fps = settings.integer("sampling.video-fps", 1, 1000);
      int rate = settings.integer("sampling.audio-sample-rate", 1000, 384_000);
      String text = String.format(Locale.ROOT, """
          sample       %d: %s (label %s, split %s)
          relaxation   %s
          v1           frames %d-%d (%.3f-%.3f s)
          v2           frames %d-%d (%.3f-%.3f s)
          a1           %.3f-%.3f s
          a2           %.3f-%.3f s
          video view   %d frames at %d fps, %dx%d crop
          audio view   %d mel bands x %d frames
          """, index, sample.id(), sample.label().orElse("-"), sample.split().isEmpty() ? "-" : sample.split(),
          plan.mode().name().toLowerCase(Locale.ROOT),
          plan.videoViewStart(1), plan.videoViewStart(1) + frames - 1, plan.videoViewStart(1) / (double) fps,
          (plan.videoViewStart(1) + frames) / (double) fps,
          plan.videoViewStart(2), plan.videoViewStart(2) + frames - 1, plan.videoViewStart(2) / (double) fps,
          (plan.videoViewStart(2) + frames) / (double) fps,
          plan.audioViewStart(1) / (double) rate, (plan.audioViewStart(1) + plan.audioViewSamples()) / (double) rate,
          plan.audioViewStart(2) / (double) rate, (plan.audioViewStart(2) + plan.audioViewSamples()) / (double) rate,
          frames, fps, crop, crop, bands, audioFrames);
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
