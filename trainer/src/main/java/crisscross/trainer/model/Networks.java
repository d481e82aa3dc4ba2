package crisscross.trainer.model;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The backbones as graph fragments (Appendix F, Tables S5-S6); methods add their heads themselves. Each method adds one network to a
 * {@link GraphBuilder} under a PyTorch-style name prefix and returns its output; calling one twice with the same
 * prefix shares the weights (Siamese views). Backbones come in two parts, {@code ...Features} (the last conv
 * block's feature map, for any input size) and {@link #globalAveragePool}, so evaluation can reuse them.
 */
public final class Networks {
  private Networks() {}

  /**
   * R(2+1)D-18 of Table S5 as used by the authors (AVID variant): a full 3x7x7 stem (stride 1,2,2) with BN,
   * ReLU and a (1,3,3) max-pool, then four layers of two residual blocks whose 3x3x3 convolutions are factorised
   * into a spatial (1,3,3) and a temporal (3,1,1) convolution with no mid-channel expansion; one BN after the
   * residual sum; a plain 1x1x1 convolution shortcut with stride (s,s,s) and no BN where the shape changes.
   *
   * @param x the clip, channels last ({@link GraphBuilder#clip})
   * @return the layer4 feature map, channels last: [B, T/8, H/32, W/32, C4] (rounded up)
   */
  public static Clip videoFeatures(GraphBuilder g, String prefix, Clip x, int[] channels) {
    Clip y = g.inputConv3d(prefix + ".stem_conv", x, channels[0], new int[] {3, 7, 7}, new int[] {1, 2, 2},
        new int[] {1, 3, 3});
    y = g.batchNormRelu(prefix + ".stem_bn", y);
    y = g.maxPoolSpatial3d(y, 3, 2, 1);
    for (int layer = 0; layer < 4; layer++) {
      int out = channels[layer];
      int stride = layer == 0 ? 1 : 2;
      String name = prefix + ".layer" + (layer + 1);
      y = videoBlock(g, name + ".0", y, out, stride);
      y = videoBlock(g, name + ".1", y, out, 1);
    }
    return y;
  }

  /**
   * ResNet-18 in torchvision's layout on a one-channel spectrogram (Table S6): 7x7 stride-2 stem, BN, ReLU,
   * 3x3 stride-2 max-pool, four layers of two basic blocks; 1x1 conv + BN shortcut where the shape changes.
   *
   * <p>Runs channels-last like the video backbone (every BN normalises the last axis).
   *
   * @param x [B, 1, F, T] with F = {@code bands}, T = {@code frames}
   * @return the layer4 feature map, channels last: [B, F/32, T/32, C4] (rounded up)
   */
  public static SDVariable audioFeatures(GraphBuilder g, String prefix, SDVariable x, long bands, long frames,
      int[] channels) {
    long[] size = {GraphBuilder.outputSize(bands, 7, 2, 3), GraphBuilder.outputSize(frames, 7, 2, 3)};
    // [B, 1, F, T] and [B, F, T, 1] share one memory order: the reshape is free.
    SDVariable image = g.sameDiff().reshape(x, -1, bands, frames, 1);
    SDVariable y = g.inputConv2d(prefix + ".conv1", image, 1, channels[0], 7, 2, 3);
    y = g.batchNorm(prefix + ".bn1", y, channels[0], 4, size[0] * size[1], true);
    y = g.maxPool2d(y, 3, 2, 1);
    size = new long[] {GraphBuilder.outputSize(size[0], 3, 2, 1), GraphBuilder.outputSize(size[1], 3, 2, 1)};
    int in = channels[0];
    for (int layer = 0; layer < 4; layer++) {
      int out = channels[layer];
      int stride = layer == 0 ? 1 : 2;
      String name = prefix + ".layer" + (layer + 1);
      y = audioBlock(g, name + ".0", y, in, out, stride, size);
      y = audioBlock(g, name + ".1", y, out, out, 1, size);
      in = out;
    }
    return y;
  }

  /** Mean over every axis between the batch and the (last) channel axis: [B, ..., C] to [B, C]. */
  public static SDVariable globalAveragePool(GraphBuilder g, SDVariable featureMap, int rank) {
    int[] axes = new int[rank - 2];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    return featureMap.mean(axes);
  }

  /**
   * The backbone of a modality pooled to [B, C4] (the 512-d representation of Tables S5-S6).
   *
   * @param x [B, 3, T, H, W] video or [B, 1, F, T] audio
   * @param viewShape the static size of one sample of {@code x}: [3, T, H, W] or [1, F, T]
   */
  public static SDVariable backbone(GraphBuilder g, Modality modality, SDVariable x, long[] viewShape,
      int[] channels) {
    String prefix = modality.prefix() + "_backbone";
    if (modality == Modality.VIDEO) {
      Clip clip = g.clip(x, viewShape[1], viewShape[2], viewShape[3], (int) viewShape[0]);
      return g.globalAveragePool(videoFeatures(g, prefix, clip, channels));
    }
    return globalAveragePool(g, audioFeatures(g, prefix, x, viewShape[1], viewShape[2], channels), 4);
  }

  private static Clip videoBlock(GraphBuilder g, String name, Clip x, int out, int stride) {
    Clip shortcut = x;
    if (stride != 1 || x.channels() != out) {
      shortcut = g.conv3d(name + ".downsample.0", x, out, new int[] {1, 1, 1}, new int[] {stride, stride, stride},
          new int[] {0, 0, 0});
    }
    Clip y = conv2Plus1d(g, name + ".conv1", x, out, stride);
    y = g.batchNormRelu(name + ".bn1", y);
    y = conv2Plus1d(g, name + ".conv2", y, out, 1);
    return g.batchNormRelu(name + ".bn2", g.add(y, shortcut));
  }

  /** Spatial (1,3,3) conv, BN, ReLU, temporal (3,1,1) conv: the factorised 3x3x3 convolution. */
  private static Clip conv2Plus1d(GraphBuilder g, String name, Clip x, int out, int stride) {
    Clip y = g.conv3d(name + ".spatial", x, out, new int[] {1, 3, 3}, new int[] {1, stride, stride},
        new int[] {0, 1, 1});
    y = g.batchNormRelu(name + ".bn", y);
    return g.conv3d(name + ".temporal", y, out, new int[] {3, 1, 1}, new int[] {stride, 1, 1}, new int[] {1, 0, 0});
  }

  /** @param size the block's input (F, T) on entry, replaced by its output (F, T) */
  private static SDVariable audioBlock(GraphBuilder g, String name, SDVariable x, int in, int out, int stride,
      long[] size) {
    size[0] = GraphBuilder.outputSize(size[0], 3, stride, 1);
    size[1] = GraphBuilder.outputSize(size[1], 3, stride, 1);
    long values = size[0] * size[1];
    SDVariable shortcut = x;
    if (stride != 1 || in != out) {
      shortcut = g.conv2d(name + ".downsample.0", x, in, out, 1, stride, 0, values);
      shortcut = g.batchNorm(name + ".downsample.1", shortcut, out, 4, values, false);
    }
    SDVariable y = g.batchNorm(name + ".bn1", g.conv2d(name + ".conv1", x, in, out, 3, stride, 1, values), out, 4, values,
        true);
    y = g.batchNorm(name + ".bn2", g.conv2d(name + ".conv2", y, out, out, 3, 1, 1, values), out, 4, values, false);
    return g.relu(y.add(shortcut));
  }
}
