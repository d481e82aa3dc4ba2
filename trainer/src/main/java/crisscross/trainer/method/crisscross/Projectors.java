package crisscross.trainer.method.crisscross;

import crisscross.trainer.model.GraphBuilder;
import org.nd4j.autodiff.samediff.SDVariable;

/** CrissCross's heads (Appendix F, Tables S7-S8, and Table 3's 2-layer projector) as graph fragments. */
final class Projectors {
  private Projectors() {}

  /** Table S7: fc-bn-relu, fc-bn-relu, fc-bn. */
  static SDVariable threeLayer(GraphBuilder g, String prefix, SDVariable h, int in, int hidden, int out) {
    SDVariable y = g.batchNormRelu(prefix + ".bn1", g.linear(prefix + ".fc1", h, in, hidden), hidden);
    y = g.batchNormRelu(prefix + ".bn2", g.linear(prefix + ".fc2", y, hidden, hidden), hidden);
    return g.batchNorm(prefix + ".bn3", g.linear(prefix + ".fc3", y, hidden, out), out);
  }

  /** Table 3's shorter projector: fc-bn-relu, fc-bn. */
  static SDVariable twoLayer(GraphBuilder g, String prefix, SDVariable h, int in, int hidden, int out) {
    SDVariable y = g.batchNormRelu(prefix + ".bn1", g.linear(prefix + ".fc1", h, in, hidden), hidden);
    return g.batchNorm(prefix + ".bn2", g.linear(prefix + ".fc2", y, hidden, out), out);
  }

  /** Table S8: fc-bn-relu, fc (with bias). */
  static SDVariable predictor(GraphBuilder g, String prefix, SDVariable z, int dim, int hidden) {
    SDVariable y = g.batchNormRelu(prefix + ".bn1", g.linear(prefix + ".fc1", z, dim, hidden), hidden);
    return g.linear(prefix + ".fc2", y, hidden, dim);
  }
}
