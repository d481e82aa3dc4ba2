package crisscross.evaluation.extract;

import crisscross.evaluation.ProgressBar;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import crisscross.pipeline.stream.BadFiles;
import crisscross.trainer.method.FeatureFile;
import crisscross.trainer.method.SampleFeatures;
import crisscross.trainer.model.Encoders;
import crisscross.trainer.model.Modality;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every training sample's features for methods that cluster their data, on the evaluation's extraction path: one
 * clean centre clip per sample at the pretraining input size ({@link ClipStyle#TEST}, one clip), decoded and
 * prepared in parallel ({@link ClipStream}), through the backbone in inference mode, the last conv block's map
 * averaged over time and space to one C-dim row (the backbone's pooled representation), written to a memory-mapped
 * {@link FeatureFile} at the sample's dataset index. A sample whose file the run knows to be unusable for the
 * modality ({@link BadFiles}: found by the training's pipeline, logged there once) is left missing without being
 * opened, at every round.
 */
public final class TrainingSetFeatures implements SampleFeatures {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingSetFeatures.class);

  private final ExtractionSettings extraction;
  private final MediaStore media;
  private final List<SampleRef> samples;
  private final BadFiles badFiles;
  private final ProgressBar progress;
  private ActorSystem system;
  private ClipStream stream;

  public TrainingSetFeatures(ExtractionSettings extraction, MediaStore media, List<SampleRef> samples,
      BadFiles badFiles, ProgressBar progress) {
    this.extraction = extraction;
    this.media = media;
    this.samples = List.copyOf(samples);
    this.badFiles = badFiles;
    this.progress = progress;
    for (int i = 0; i < this.samples.size(); i++) {
      if (this.samples.get(i).index() != i) {
        throw new IllegalArgumentException("sample " + this.samples.get(i).id() + " has index "
            + this.samples.get(i).index() + " at position " + i + " of the dataset");
      }
    }
  }

  /** The factory a pretraining run is given: progress lines on {@code out}. */
  public static SampleFeatures.Factory factory(PrintStream out) {
    return (Settings settings, List<SampleRef> samples, MediaStore media, BadFiles badFiles) -> new TrainingSetFeatures(
        ExtractionSettings.from(settings), media, samples, badFiles, ProgressBar.lines(out));
  }

  @Override
  public FeatureFile extract(Encoders encoders, Modality modality, Path file, String label) throws IOException {
    ClipSpec spec = (modality == Modality.VIDEO ? extraction.videoSpec(ClipStyle.TEST)
        : extraction.audioSpec(ClipStyle.TEST)).withClips(1);
    ClipLoader loader = modality == Modality.VIDEO
        ? extraction.videoLoader(media, spec, extraction.video().cropSize(), false)
        : extraction.audioLoader(media, spec);
    long[] clipShape = loader.inputShape();
    List<ClipStream.Visit> visits = new ArrayList<>(samples.size());
    int knownUnusable = 0;
    for (SampleRef sample : samples) {
      if (badFiles.unusableFor(sample.id(), modality == Modality.VIDEO, modality == Modality.AUDIO).isPresent()) {
        knownUnusable++;
        continue;
      }
      visits.add(new ClipStream.Visit(sample, EncoderFeatureExtractor.draws(extraction.seed(), ClipStyle.TEST,
          sample)));
    }
    int dim = encoders.settings().channels(modality)[3];
    FeatureFile features = FeatureFile.create(file, samples.size(), dim);
    ProgressBar.Task task = progress.start(label, visits.size(), "clips");
    int[] skipped = new int[1];
    try {
      ClipStream.await(stream().batches(visits, loader, extraction.batchSize(), skip -> {
        synchronized (skipped) {
          skipped[0]++;
        }
        LOG.warn("{}: skipping sample {} ({}): {}", label, skip.sample().id(), skip.reason().label(), skip.detail());
      }).mapAsync(1, batch -> stream().onModelThread(() -> {
        encode(encoders, modality, batch, clipShape, features);
        return batch.size();
      })).runForeach(task::advance, stream().materializer()), label);
    } catch (IOException | RuntimeException e) {
      features.close();
      throw e;
    }
    task.finish();
    if (features.presentCount() == 0) {
      features.close();
      throw new IOException("no sample could be loaded for " + label + " (" + samples.size() + " samples)");
    }
    if (skipped[0] > 0) {
      LOG.warn("{}: {} of {} samples skipped; they keep no pseudo-label this round", label, skipped[0],
          samples.size());
    }
    if (knownUnusable > 0) {
      LOG.info("{}: {} of {} samples left out, their files known to be unusable for {} (the run's bad files)", label,
          knownUnusable, samples.size(), modality.prefix());
    }
    return features;
  }

  private static void encode(Encoders encoders, Modality modality, List<ClipStream.Row> batch, long[] clipShape,
      FeatureFile out) {
    try (INDArray input = ClipStream.stack(batch, clipShape);
        INDArray maps = encoders.featureMaps(modality, input);
        INDArray pooled = maps.mean(spatialAxes(maps.rank())).castTo(DataType.FLOAT)) {
      float[] values = pooled.dup('c').data().asFloat();
      int dim = out.dim();
      for (int i = 0; i < batch.size(); i++) {
        float[] row = new float[dim];
        System.arraycopy(values, i * dim, row, 0, dim);
        out.put(batch.get(i).sample().index(), row);
      }
    }
  }

  /** Every axis after batch and channels of a [B, C, ...] map. */
  private static int[] spatialAxes(int rank) {
    int[] axes = new int[rank - 2];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 2;
    }
    return axes;
  }

  private synchronized ClipStream stream() {
    if (stream == null) {
      system = ActorSystem.create("crisscross-features");
      stream = new ClipStream(extraction.workers(), Materializer.createMaterializer(system));
    }
    return stream;
  }

  @Override
  public synchronized void close() {
    if (stream != null) {
      stream.close();
      system.terminate();
      stream = null;
    }
  }
}
