package crisscross.trainer.model;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A video activation in the channels-last layout [B, T, H, W, C] with its static frame, height, width and channel
 * counts (B stays free). The video backbone runs in this layout because every one of its convolutions then maps
 * onto libnd4j's {@code conv2d} by free reshapes ({@link GraphBuilder#conv3d}).
 */
public record Clip(SDVariable value, long frames, long height, long width, int channels) {
  public Clip {
    if (frames < 1 || height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException("a clip needs positive sizes, got " + frames + "x" + height + "x" + width
          + "x" + channels);
    }
  }

  public Clip with(SDVariable newValue) {
    return new Clip(newValue, frames, height, width, channels);
  }
}
