package crisscross.evaluation.finetune;

import crisscross.evaluation.ProgressBar;
import crisscross.evaluation.encoder.Encoder;
import crisscross.evaluation.extract.ClipLoader;
import crisscross.evaluation.extract.ClipStream;
import crisscross.evaluation.extract.ClipStyle;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.SampleIndex;
import crisscross.pipeline.random.EpochOrder;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.SampleRef;
import crisscross.trainer.model.Modality;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs full finetuning (Appendix E.2) of an encoder's video backbone on one train/test split: each epoch visits
 * {@link FinetuneSettings#clipsPerEpoch} training samples in a seeded order (every sample equally often), one random
 * augmented clip per visit, in SGD steps of {@code batchSize} clips at the multi-step schedule's rate (Table S11);
 * then every test sample's uniformly spaced clean clips are scored and the softmax scores averaged per sample.
 * Clips are loaded by the same stream stages as feature extraction ({@link ClipStream}).
 */
public final class Finetuner {
  private static final Logger LOG = LoggerFactory.getLogger(Finetuner.class);

  private final FinetuneSettings settings;
  private final ClipStream stream;
  private final ProgressBar progress;
  private final long seed;

  /**
   * @param seed draws the visiting order, clips, augmentation, dropout and the new layer's initial weights
   */
  public Finetuner(FinetuneSettings settings, ClipStream stream, ProgressBar progress, long seed) {
    this.settings = settings;
    this.stream = stream;
    this.progress = progress;
    this.seed = seed;
  }

  /**
   * Finetunes a copy of {@code encoder}'s video backbone and tests it.
   *
   * @param trainLoader one augmented clip per visit ({@link ClipStyle#TRAIN}, one clip per sample)
   * @param testLoader the test clips ({@link ClipStyle#TEST}, {@link FinetuneSettings#testClips()} per sample)
   * @param split the split's name in the result
   * @param label names the run on progress bars and in logs
   */
  public FinetuneResult.FinetuneSplit run(String split, String label, Encoder encoder, List<SampleRef> train, List<SampleRef> test,
      List<String> classNames, ClipLoader trainLoader, ClipLoader testLoader) throws IOException {
    if (!encoder.modalities().contains(Modality.VIDEO)) {
      throw new IllegalArgumentException("finetuning needs a video backbone; the " + encoder.kind().id()
          + " encoder (" + encoder.method() + ") has none");
    }
    if (trainLoader.spec().style() != ClipStyle.TRAIN || trainLoader.spec().clipsPerSample() != 1
        || testLoader.spec().style() != ClipStyle.TEST) {
      throw new IllegalArgumentException("finetuning trains on one random clip per visit and tests on uniform clips");
    }
    Map<String, Integer> labelOf = new HashMap<>();
    for (int i = 0; i < classNames.size(); i++) {
      labelOf.put(classNames.get(i), i);
    }
    int epochSize = settings.clipsPerEpoch(train.size());
    List<FinetuneResult.Epoch> epochs = new ArrayList<>();
    try (VideoClassifier classifier = VideoClassifier.create(encoder.model().settings().videoChannels(),
            classNames.size(), new long[] {settings.frames(), settings.cropSize(), settings.cropSize()},
            encoder.model().parameters(), encoder.model().buffers(),
            encoder.model().settings().dataType(), SampleRandom.of(seed).fork("finetune").nextLong(),
            settings.dropout());
        SgdMomentum optimizer = new SgdMomentum(settings.momentum(), settings.weightDecay())) {
      ProgressBar.Task task = progress.start(label + ": training", (long) settings.epochs() * epochSize, "clips");
      int trainClips = 0;
      for (int epoch = 0; epoch < settings.epochs(); epoch++) {
        double lr = MultiStepSchedule.rate(settings.lr(), settings.gamma(), settings.milestones(), epoch);
        int e = epoch;
        double[] sums = ClipStream.await(stream.batches(visits(train, epoch, epochSize), trainLoader,
                settings.batchSize(), skip -> LOG.warn("{}: skipping a visit of {} ({}): {}", label,
                    skip.sample().id(), skip.reason().label(), skip.detail()))
            .mapAsync(1, batch -> stream.onModelThread(() -> step(classifier, optimizer, batch, labelOf, lr,
                SampleRandom.of(seed).fork("finetune-dropout").fork(e).fork(batch.get(0).sample().id()),
                trainLoader)))
            .runFold(new double[3], (acc, stepped) -> {
              acc[0] += stepped[0];
              acc[1] += stepped[1];
              acc[2] += stepped[2];
              task.advance((long) stepped[2]);
              return acc;
            }, stream.materializer()), "finetuning " + label);
        int steps = (int) sums[1];
        trainClips += (int) sums[2];
        epochs.add(new FinetuneResult.Epoch(epoch, lr, steps == 0 ? Double.NaN : sums[0] / steps, steps,
            (int) sums[2]));
        LOG.info("{}: epoch {} lr {} mean loss {} over {} steps", label, epoch, lr,
            steps == 0 ? Double.NaN : sums[0] / steps, steps);
      }
      task.finish();
      return test(split, label, classifier, test, classNames, testLoader, epochs, train.size(), trainClips);
    }
  }

  /** The visits of one epoch: the training samples in seeded orders, repeated to {@code epochSize} visits. */
  List<ClipStream.Visit> visits(List<SampleRef> train, int epoch, int epochSize) {
    List<ClipStream.Visit> visits = new ArrayList<>(epochSize);
    int n = train.size();
    long cycles = (epochSize + n - 1) / n;
    for (int position = 0; position < epochSize; position++) {
      int cycle = position / n;
      int[] order = EpochOrder.of(SampleRandom.of(seed).fork("finetune-order").nextLong(),
          (long) epoch * cycles + cycle, n);
      visits.add(new ClipStream.Visit(train.get(order[position % n]),
          SampleRandom.forSample(seed, epoch, position).fork("finetune-clip")));
    }
    return visits;
  }

  /** {loss sum, steps, clips} of one batch; a batch of one clip is dropped (batch normalisation needs two). */
  private static double[] step(VideoClassifier classifier, SgdMomentum optimizer, List<ClipStream.Row> batch,
      Map<String, Integer> labelOf, double lr, SampleRandom dropout, ClipLoader loader) {
    if (batch.size() < 2) {
      return new double[] {0, 0, 0};
    }
    int[] labels = new int[batch.size()];
    for (int i = 0; i < labels.length; i++) {
      SampleRef sample = batch.get(i).sample();
      String name = sample.label().orElseThrow(() -> new IllegalArgumentException("sample '" + sample.id()
          + "' has no label; finetuning needs labelled samples"));
      Integer label = labelOf.get(name);
      if (label == null) {
        throw new IllegalArgumentException("sample '" + sample.id() + "' has label '" + name
            + "', which is not among the class names");
      }
      labels[i] = label;
    }
    try (INDArray clips = ClipStream.stack(batch, loader.inputShape())) {
      double loss = classifier.trainStep(clips, labels, optimizer, lr, dropout);
      return new double[] {loss, 1, batch.size()};
    }
  }

  private record Scored(ClipStream.Row clip, float[] scores) {}

  private FinetuneResult.FinetuneSplit test(String split, String label, VideoClassifier classifier, List<SampleRef> test,
      List<String> classNames, ClipLoader testLoader, List<FinetuneResult.Epoch> epochs, int trainSamples,
      int trainClips) throws IOException {
    List<ClipStream.Visit> visits = new ArrayList<>();
    for (SampleRef sample : test) {
      visits.add(new ClipStream.Visit(sample, SampleRandom.of(seed).fork("finetune-test").fork(sample.id())));
    }
    ProgressBar.Task task = progress.start(label + ": testing", (long) test.size() * settings.testClips(), "clips");
    ClipFeatures scores = ClipStream.await(stream.batches(visits, testLoader, settings.batchSize(),
            skip -> LOG.warn("{}: skipping test sample {} ({}): {}", label, skip.sample().id(), skip.reason().label(),
                skip.detail()))
        .mapAsync(1, batch -> stream.onModelThread(() -> {
          try (INDArray clips = ClipStream.stack(batch, testLoader.inputShape())) {
            float[][] rows = classifier.scores(clips);
            List<Scored> scored = new ArrayList<>(rows.length);
            for (int i = 0; i < rows.length; i++) {
              scored.add(new Scored(batch.get(i), rows[i]));
            }
            return scored;
          }
        }))
        .runFold(ClipFeatures.builder(classNames), (builder, scored) -> {
          for (Scored row : scored) {
            builder.add(row.clip().sample(), row.clip().clipIndex(), row.scores());
          }
          task.advance(scored.size());
          return builder;
        }, stream.materializer()), "testing " + label).build();
    task.finish();
    if (scores.size() == 0) {
      throw new IOException(label + ": no test sample could be loaded");
    }
    SampleIndex samples = scores.samples();
    int[] predicted = SampleIndex.argmax(samples.average(toDouble(scores.rows())));
    int[] truth = samples.labels();
    int[][] confusion = new int[classNames.size()][classNames.size()];
    int correct = 0;
    for (int s = 0; s < truth.length; s++) {
      confusion[truth[s]][predicted[s]]++;
      correct += truth[s] == predicted[s] ? 1 : 0;
    }
    int[] clipPredicted = SampleIndex.argmax(toDouble(scores.rows()));
    int[] clipTruth = scores.labels();
    int clipCorrect = 0;
    for (int i = 0; i < clipTruth.length; i++) {
      clipCorrect += clipTruth[i] == clipPredicted[i] ? 1 : 0;
    }
    return new FinetuneResult.FinetuneSplit(split, correct / (double) truth.length,
        clipCorrect / (double) clipTruth.length, epochs, classNames, confusion, trainSamples, trainClips,
        samples.sampleCount(), scores.size());
  }

  private static double[][] toDouble(float[][] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new double[rows[i].length];
      for (int j = 0; j < rows[i].length; j++) {
        out[i][j] = rows[i][j];
      }
    }
    return out;
  }
}
