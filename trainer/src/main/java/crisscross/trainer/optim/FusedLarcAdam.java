package crisscross.trainer.optim;

import crisscross.trainer.host.HostBuffers;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The element-wise arithmetic of one LARC+Adam update in a single pass over the native buffers of a parameter, its
 * gradient and its two moments, instead of ~20 ND4J element-wise ops with a temporary each (which allocated and
 * zero-filled ~1 GB of fresh native memory per step for the full model and took 1.4-2.9 s of it).
 *
 * <p>Arrays must be dense C-order buffers of equal length and type (FLOAT or DOUBLE); their shapes do not matter,
 * every operation is element-wise or a whole-tensor norm. Work is split into fixed chunks run on the common
 * fork-join pool; norms are summed per chunk and the partial sums added in chunk order, so results do not depend
 * on scheduling.
 */
final class FusedLarcAdam {
  /** Elements per parallel chunk: large enough to amortise task overhead, small enough to balance two cores. */
  static final int CHUNK = 1 << 18;

  private FusedLarcAdam() {}

  /** The arithmetic constants of one tensor's update. */
  record Coefficients(double decay, double scale, double beta1, double beta2, double stepSize, double bias2Sqrt,
      double epsilon) {}

  /** Frobenius norm of a dense array, summed in double. */
  static double norm(INDArray a) {
    int n = length(a);
    int chunks = chunks(n);
    double[] partial = new double[chunks];
    if (a.dataType() == DataType.FLOAT) {
      FloatBuffer x = floats(a);
      forEachChunk(chunks, c -> partial[c] = sumOfSquares(x, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
    } else {
      DoubleBuffer x = doubles(a);
      forEachChunk(chunks, c -> partial[c] = sumOfSquares(x, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
    }
    double sum = 0;
    for (double s : partial) {
      sum += s;
    }
    return Math.sqrt(sum);
  }

  /**
   * g' = (g + decay p) scale; m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2;
   * p -= stepSize m / (sqrt(v) / bias2Sqrt + eps), in the arrays' precision (float32 arrays in float32 arithmetic,
   * as torch does). When {@code larcGradient} is non-null g' is written there too.
   */
  static void update(INDArray p, INDArray g, INDArray m, INDArray v, INDArray larcGradient, Coefficients k) {
    int n = length(p);
    for (INDArray a : new INDArray[] {g, m, v, larcGradient}) {
      if (a != null && (length(a) != n || a.dataType() != p.dataType())) {
        throw new IllegalArgumentException("LARC+Adam arrays differ: " + p.dataType() + " x " + n + " vs "
            + a.dataType() + " x " + a.length());
      }
    }
    int chunks = chunks(n);
    if (p.dataType() == DataType.FLOAT) {
      FloatBuffer pb = floats(p);
      FloatBuffer gb = floats(g);
      FloatBuffer mb = floats(m);
      FloatBuffer vb = floats(v);
      FloatBuffer ob = larcGradient == null ? null : floats(larcGradient);
      forEachChunk(chunks, c -> updateFloats(pb, gb, mb, vb, ob, c * CHUNK, Math.min(n, (c + 1) * CHUNK), k));
    } else {
      DoubleBuffer pb = doubles(p);
      DoubleBuffer gb = doubles(g);
      DoubleBuffer mb = doubles(m);
      DoubleBuffer vb = doubles(v);
      DoubleBuffer ob = larcGradient == null ? null : doubles(larcGradient);
      forEachChunk(chunks, c -> updateDoubles(pb, gb, mb, vb, ob, c * CHUNK, Math.min(n, (c + 1) * CHUNK), k));
    }
    HostBuffers.written(p, m, v, larcGradient);
  }

  /** Elements per block copied between a native buffer and heap arrays (which the JIT vectorises). */
  private static final int BLOCK = 2048;

  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][BLOCK]);

  /** In float32 arithmetic, as torch's Adam on float tensors. */
  private static void updateFloats(FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v, FloatBuffer out,
      int from, int to, Coefficients k) {
    float[][] scratch = SCRATCH.get();
    float[] ps = scratch[0];
    float[] gs = scratch[1];
    float[] ms = scratch[2];
    float[] vs = scratch[3];
    float[] os = scratch[4];
    float decay = (float) k.decay();
    float scale = (float) k.scale();
    float b1 = (float) k.beta1();
    float c1 = (float) (1 - k.beta1());
    float b2 = (float) k.beta2();
    float c2 = (float) (1 - k.beta2());
    float stepSize = (float) k.stepSize();
    float bias2Sqrt = (float) k.bias2Sqrt();
    float eps = (float) k.epsilon();
    for (int start = from; start < to; start += BLOCK) {
      int n = Math.min(BLOCK, to - start);
      p.get(start, ps, 0, n);
      g.get(start, gs, 0, n);
      m.get(start, ms, 0, n);
      v.get(start, vs, 0, n);
      for (int i = 0; i < n; i++) {
        float gi = (gs[i] + decay * ps[i]) * scale;
        float mi = b1 * ms[i] + c1 * gi;
        float vi = b2 * vs[i] + c2 * (gi * gi);
        ms[i] = mi;
        vs[i] = vi;
        ps[i] = ps[i] - stepSize * (mi / ((float) Math.sqrt(vi) / bias2Sqrt + eps));
        os[i] = gi;
      }
      p.put(start, ps, 0, n);
      m.put(start, ms, 0, n);
      v.put(start, vs, 0, n);
      if (out != null) {
        out.put(start, os, 0, n);
      }
    }
  }

  private static void updateDoubles(DoubleBuffer p, DoubleBuffer g, DoubleBuffer m, DoubleBuffer v,
      DoubleBuffer out, int from, int to, Coefficients k) {
    double b1 = k.beta1();
    double b2 = k.beta2();
    for (int i = from; i < to; i++) {
      double pi = p.get(i);
      double gi = (g.get(i) + k.decay() * pi) * k.scale();
      double mi = b1 * m.get(i) + (1 - b1) * gi;
      double vi = b2 * v.get(i) + (1 - b2) * gi * gi;
      m.put(i, mi);
      v.put(i, vi);
      p.put(i, pi - k.stepSize() * mi / (Math.sqrt(vi) / k.bias2Sqrt() + k.epsilon()));
      if (out != null) {
        out.put(i, gi);
      }
    }
  }

  private static double sumOfSquares(FloatBuffer x, int from, int to) {
    double s0 = 0;
    double s1 = 0;
    int i = from;
    for (; i + 1 < to; i += 2) {
      double a = x.get(i);
      double b = x.get(i + 1);
      s0 += a * a;
      s1 += b * b;
    }
    if (i < to) {
      double a = x.get(i);
      s0 += a * a;
    }
    return s0 + s1;
  }

  private static double sumOfSquares(DoubleBuffer x, int from, int to) {
    double s0 = 0;
    double s1 = 0;
    int i = from;
    for (; i + 1 < to; i += 2) {
      double a = x.get(i);
      double b = x.get(i + 1);
      s0 += a * a;
      s1 += b * b;
    }
    if (i < to) {
      double a = x.get(i);
      s0 += a * a;
    }
    return s0 + s1;
  }

  private static void forEachChunk(int chunks, java.util.function.IntConsumer body) {
    if (chunks == 1) {
      body.accept(0);
    } else {
      IntStream.range(0, chunks).parallel().forEach(body);
    }
  }

  private static int chunks(int n) {
    return Math.max(1, (n + CHUNK - 1) / CHUNK);
  }

  private static int length(INDArray a) {
    HostBuffers.requireDense(a, "LARC+Adam");
    return Math.toIntExact(a.length());
  }

  private static FloatBuffer floats(INDArray a) {
    FloatBuffer b = HostBuffers.floats(a);
    if (b.capacity() < a.length()) {
      throw new IllegalStateException("native buffer holds " + b.capacity() + " floats, array " + a.length());
    }
    return b;
  }

  private static DoubleBuffer doubles(INDArray a) {
    DoubleBuffer b = HostBuffers.doubles(a);
    if (b.capacity() < a.length()) {
      throw new IllegalStateException("native buffer holds " + b.capacity() + " doubles, array " + a.length());
    }
    return b;
  }
}
