package crisscross.trainer.model;

import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trained (or initial) backbones as evaluation, finetuning and method hooks use them: feature maps in inference
 * mode and the weights by PyTorch name. A backend provides them ({@link Backbones} on ND4J).
 */
public interface Encoders extends AutoCloseable {
  ModelSettings settings();

  Set<Modality> modalities();

  /**
   * The last conv block's feature map in inference mode (running BN statistics): video [B,C,T',H',W'] from
   * [B,3,T,H,W], audio [B,C,F',T'] from [B,1,F,T], for any input size the backbone accepts.
   */
  INDArray featureMaps(Modality modality, INDArray input);

  /** Live parameters by PyTorch name ({@code video_backbone.stem_conv.weight}, ...). */
  Map<String, INDArray> parameters();

  /** Live BN buffers by PyTorch name. */
  Map<String, INDArray> buffers();

  /** Copies the backbone entries of {@code state} in; entries of heads or other modalities are ignored. */
  void restore(ModelState state);

  @Override
  void close();
}
