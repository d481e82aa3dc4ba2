package crisscross.trainer.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff's per-session array memory, replacing its default {@code ArrayCacheMemoryMgr} for the training graph.
 *
 * <p>Why: SameDiff 1.0.0-M2.1 releases none of a gradient computation's arrays to its cache, so every step of the
 * full model allocated ~1.8 GB of fresh native memory that only the garbage collector freed, and libnd4j
 * zero-fills every new buffer: ~500 000 page faults made a step take 4-5.5 s instead of 2 s (measured with
 * {@code perf} and {@code /proc/self/stat}). The model hands everything a step allocated back through
 * {@link #releaseAllExcept} once the results are read, and the gradients through {@link #release} after the
 * update; this pool keeps the buffers by exact element count and data type and hands them out again, so a
 * repeating step allocates nothing once warm.
 *
 * <p>Pooled bytes are capped: when a release would exceed {@code capacityBytes}, the longest-pooled buffers are
 * freed first. Not thread-safe (SameDiff keeps one session, hence one manager, per thread).
 */
final class ArrayPool extends AbstractMemoryMgr {
  private final long capacityBytes;
  private final Map<DataType, Map<Long, ArrayDeque<INDArray>>> free = new HashMap<>();
  /** Pooled arrays in release order, for freeing the oldest first. */
  private final LinkedHashMap<Long, INDArray> ageOrder = new LinkedHashMap<>();
  /** Native addresses of the pooled buffers: a buffer is pooled once, whichever array object it comes back in. */
  private final Set<Long> pooledBuffers = new HashSet<>();
  /** Arrays handed out since the last {@link #releaseAllExcept}. */
  private final Set<INDArray> handedOut = Collections.newSetFromMap(new IdentityHashMap<>());
  private long pooledBytes;
  private long freshBytes;
  private long reusedBytes;
  private boolean closed;

  ArrayPool(long capacityBytes) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("pool capacity must be > 0 bytes, got " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
  }

  @Override
  public INDArray allocate(boolean detached, DataType dataType, long... shape) {
    return take(dataType, shape, 'c');
  }

  @Override
  public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
    if (descriptor.isEmpty()) {
      INDArray empty = Nd4j.create(descriptor);
      return detached ? empty.detach() : empty;
    }
    return take(descriptor.dataType(), descriptor.getShape(), descriptor.getOrder());
  }

  private INDArray take(DataType dataType, long[] shape, char order) {
    long length = 1;
    for (long d : shape) {
      length *= d;
    }
    ArrayDeque<INDArray> bucket = free.getOrDefault(dataType, Map.of()).get(length);
    if (bucket == null || bucket.isEmpty()) {
      freshBytes += length * dataType.width();
      INDArray fresh = Nd4j.createUninitializedDetached(dataType, order, shape);
      handedOut.add(fresh);
      return fresh;
    }
    INDArray pooled = bucket.pop();
    ageOrder.remove(pooled.getId());
    pooledBuffers.remove(pooled.data().address());
    long bytes = length * dataType.width();
    pooledBytes -= bytes;
    reusedBytes += bytes;
    // A new array object over the pooled buffer: SameDiff tracks arrays by identity.
    DataBuffer buffer = pooled.data();
    INDArray reused = Nd4j.create(buffer, shape, Nd4j.getStrides(shape, order), 0, order, dataType);
    handedOut.add(reused);
    return reused;
  }

  /**
   * Takes back every array handed out since the last call except those over the buffers of {@code keep}, which
   * pass to the caller (who may hand them back through {@link #release} once done, or drop them). SameDiff
   * 1.0.0-M2.1 releases nothing while computing gradients, so the model calls this once a step's results are read
   * out; without it every step's ~2 GB (full model) of activations waits for the garbage collector.
   */
  void releaseAllExcept(Collection<INDArray> keep) {
    Set<Long> keptBuffers = new HashSet<>();
    for (INDArray a : keep) {
      keptBuffers.add(a.data().address());
    }
    List<INDArray> toRelease = new ArrayList<>();
    for (INDArray a : handedOut) {
      if (!keptBuffers.contains(a.data().address())) {
        toRelease.add(a);
      }
    }
    handedOut.clear();
    toRelease.forEach(this::release);
  }

  @Override
  public void release(INDArray array) {
    if (closed || array.data() == null || array.dataType() == DataType.UTF8 || array.offset() != 0
        || array.data().length() != array.length()) {
      if (array.closeable()) {
        array.close();
      }
      return;
    }
    handedOut.remove(array);
    if (!pooledBuffers.add(array.data().address())) {
      return; // its buffer is pooled already (through another array object over it)
    }
    long bytes = array.length() * array.dataType().width();
    if (bytes > capacityBytes) {
      array.close();
      return;
    }
    Iterator<INDArray> oldest = ageOrder.values().iterator();
    while (pooledBytes + bytes > capacityBytes && oldest.hasNext()) {
      INDArray evicted = oldest.next();
      oldest.remove();
      pooledBuffers.remove(evicted.data().address());
      free.get(evicted.dataType()).get(evicted.length()).removeIf(a -> a == evicted);
      pooledBytes -= evicted.length() * evicted.dataType().width();
      evicted.close();
    }
    free.computeIfAbsent(array.dataType(), k -> new HashMap<>())
        .computeIfAbsent(array.length(), k -> new ArrayDeque<>()).push(array);
    ageOrder.put(array.getId(), array);
    pooledBytes += bytes;
  }

  /** Bytes currently pooled, bytes allocated fresh and bytes served from the pool since creation. */
  long[] statistics() {
    return new long[] {pooledBytes, freshBytes, reusedBytes};
  }

  @Override
  public void close() {
    closed = true;
    for (INDArray a : ageOrder.values()) {
      if (a.closeable()) {
        a.close();
      }
    }
    ageOrder.clear();
    pooledBuffers.clear();
    free.clear();
    pooledBytes = 0;
  }
}
