package crisscross.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs independent tasks (SVM fits of a cost sweep, blocks of retrieval queries) on a fixed number of threads
 * and returns their results in task order, so results never depend on scheduling.
 */
public final class ParallelTasks {
  private ParallelTasks() {}

  /** Threads to use for a configured worker count: 0 means one per core. */
  public static int resolveWorkers(int configured) {
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  /** Runs the tasks on up to {@code workers} threads; the first failure is rethrown unwrapped when unchecked. */
  public static <T> List<T> run(int workers, List<Callable<T>> tasks) {
    int threads = Math.max(1, Math.min(resolveWorkers(workers), tasks.size()));
    if (threads == 1) {
      List<T> results = new ArrayList<>(tasks.size());
      for (Callable<T> task : tasks) {
        results.add(call(task));
      }
      return results;
    }
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread thread = new Thread(r, "evaluation-worker-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    ExecutorService executor = Executors.newFixedThreadPool(threads, factory);
    try {
      List<Future<T>> futures = new ArrayList<>(tasks.size());
      for (Callable<T> task : tasks) {
        futures.add(executor.submit(task));
      }
      List<T> results = new ArrayList<>(tasks.size());
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for evaluation tasks", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    } finally {
      executor.shutdownNow();
    }
  }

  private static <T> T call(Callable<T> task) {
    try {
      return task.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
