package crisscross.evaluation.extract;

import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.SampleRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The stream stages every evaluation shares: visits of samples → clips loaded on {@code workers} threads (order
 * kept, so results never depend on parallelism) → one row per clip → batches; and one thread for the model, which
 * is not thread-safe, so that a stage can run it with {@code mapAsync(1, ...)}. Backpressure bounds memory to a
 * few batches whatever the dataset's size.
 */
public final class ClipStream implements AutoCloseable {
  private final int workers;
  private final Materializer materializer;
  private final ExecutorService loaders;
  private final ExecutorService model;

  /** One visit: a sample and the generator its clips' times and augmentation are drawn from. */
  public record Visit(SampleRef sample, SampleRandom draws) {}

  /** One clip's encoder input, flat in the model's layout. */
  public record Row(SampleRef sample, int clipIndex, float[] input) {}

  public ClipStream(int workers, Materializer materializer) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be positive: " + workers);
    }
    this.workers = workers;
    this.materializer = materializer;
    this.loaders = Executors.newFixedThreadPool(workers, named("evaluation-clips-"));
    this.model = Executors.newSingleThreadExecutor(named("evaluation-model-"));
  }

  public Materializer materializer() {
    return materializer;
  }

  /**
   * Batches of at most {@code batchSize} rows of the visits' clips, in visit and clip order. A visit that cannot be
   * loaded goes to {@code onSkip} and gives no rows; a loader that throws counts as an unreadable sample.
   */
  public Source<List<Row>, NotUsed> batches(List<Visit> visits, ClipLoader loader, int batchSize,
      Consumer<SampleClips.Skipped> onSkip) {
    return Source.from(visits)
        .mapAsync(workers, visit -> CompletableFuture.supplyAsync(() -> load(loader, visit), loaders))
        .mapConcat(clips -> {
          if (clips instanceof SampleClips.Skipped skipped) {
            onSkip.accept(skipped);
            return List.<Row>of();
          }
          SampleClips.Clips loaded = (SampleClips.Clips) clips;
          List<Row> rows = new ArrayList<>(loaded.inputs().size());
          for (int i = 0; i < loaded.inputs().size(); i++) {
            rows.add(new Row(loaded.sample(), i, loaded.inputs().get(i)));
          }
          return rows;
        })
        .grouped(batchSize);
  }

  /** Runs {@code work} on the model's thread. */
  public <T> CompletionStage<T> onModelThread(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, model);
  }

  /** Waits for a stream's result, unwrapping its failure. */
  public static <T> T await(CompletionStage<T> stage, String what) throws IOException {
    try {
      return stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(what + ": " + cause.getMessage(), cause);
    }
  }

  /** The rows' inputs as one array {@code [rows, ...clipShape]}. */
  public static INDArray stack(List<Row> rows, long[] clipShape) {
    int clipLength = Math.toIntExact(Arrays.stream(clipShape).reduce(1, (a, b) -> a * b));
    float[] flat = new float[rows.size() * clipLength];
    for (int i = 0; i < rows.size(); i++) {
      float[] input = rows.get(i).input();
      if (input.length != clipLength) {
        throw new IllegalStateException("clip input of " + input.length + " values, expected " + clipLength);
      }
      System.arraycopy(input, 0, flat, i * clipLength, clipLength);
    }
    long[] shape = new long[clipShape.length + 1];
    shape[0] = rows.size();
    System.arraycopy(clipShape, 0, shape, 1, clipShape.length);
    return Nd4j.create(flat, shape, 'c');
  }

  private static SampleClips load(ClipLoader loader, Visit visit) {
    try {
      return loader.load(visit.sample(), visit.draws());
    } catch (RuntimeException e) {
      // A bug or a native failure on one file must not end an hours-long evaluation: skip it loudly.
      return new SampleClips.Skipped(visit.sample(), SkipReason.UNREADABLE, "clip loading failed: " + e);
    }
  }

  @Override
  public void close() {
    loaders.shutdownNow();
    model.shutdownNow();
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
