package crisscross.trainer.export;

import crisscross.pipeline.audio.AudioSettings;
import crisscross.pipeline.augment.AudioAugmentSettings;
import crisscross.pipeline.augment.VideoAugmentSettings;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.decode.DecodeSettings;
import crisscross.pipeline.sample.SamplingSettings;
import crisscross.trainer.checkpoint.ModelSnapshot;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.model.Backbones;
import crisscross.trainer.model.GraphBuilder;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What {@code crisscross export} writes: a checkpoint's backbone parameters and BN buffers ({@code running_mean},
 * {@code running_var}, {@code num_batches_tracked}), optionally its heads', under their PyTorch names and in
 * PyTorch's layouts (Conv3d [out,in,kT,kH,kW], Conv2d [out,in,kH,kW], Linear [out,in]: checkpoints already hold them
 * so), and a description of the networks and of the inputs they were trained on.
 *
 * <p>The names are the {@code state_dict()} keys of {@code tools/reference/crisscross_ref.py}'s {@code CrissCross}
 * module. Below {@code audio_backbone.} they are torchvision's {@code resnet18} keys (without {@code fc}); below
 * {@code video_backbone.} they follow the authors' R(2+1)D-18, whose stem, blocks and shortcuts differ from
 * torchvision's {@code r2plus1d_18} (see {@link crisscross.trainer.model.Networks#videoFeatures}), so no
 * torchvision network can hold them.
 */
public final class WeightExport {
  /** Name of the weights file in an export directory. */
  public static final String WEIGHTS_FILE = "weights.safetensors";
  /** Name of the description file in an export directory. */
  public static final String DESCRIPTION_FILE = "model.json";
  /** Identifies the layout of {@link #DESCRIPTION_FILE}. */
  public static final String FORMAT = "crisscross-weights/1";

  private WeightExport() {}

  /**
   * The modalities whose backbones {@code model} holds, in {@link Modality} order.
   */
  public static Set<Modality> modalities(ModelSnapshot model) {
    EnumSet<Modality> found = EnumSet.noneOf(Modality.class);
    for (TensorBlob blob : model.parameters()) {
      for (Modality m : Modality.values()) {
        if (Backbones.isBackboneEntry(blob.name(), Set.of(m))) {
          found.add(m);
        }
      }
    }
    return found;
  }

  /**
   * The tensors to export: parameters, then buffers, each in the checkpoint's order; backbones only unless
   * {@code heads}. Optimiser moments and the method's own state are never exported.
   */
  public static List<TensorBlob> tensors(ModelSnapshot model, boolean heads) {
    Set<Modality> all = EnumSet.allOf(Modality.class);
    List<TensorBlob> out = new ArrayList<>();
    for (List<TensorBlob> group : List.of(model.parameters(), model.buffers())) {
      for (TensorBlob blob : group) {
        if (heads || Backbones.isBackboneEntry(blob.name(), all)) {
          out.add(blob);
        }
      }
    }
    return out;
  }

  /** Where the export came from, for the description. */
  public record Source(String checkpoint, long step, String method, String objective, String codeVersion) {}

  /**
   * The description written beside the weights: the networks (module prefix, widths, the PyTorch definition that
   * holds them), their inputs as the trainer produced them (frame rate, crop, normalisation; sample rate, mel
   * settings, standardisation) and their outputs.
   *
   * @param settings the checkpoint's effective configuration
   * @param tensors what is exported, for the list of module prefixes
   */
  public static Map<String, Object> description(Settings settings, Source source, Set<Modality> modalities,
      List<TensorBlob> tensors, boolean heads) {
    ModelSettings model = ModelSettings.from(settings);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("format", FORMAT);
    d.put("weights", WEIGHTS_FILE);
    Map<String, Object> from = new LinkedHashMap<>();
    from.put("checkpoint", source.checkpoint());
    from.put("step", source.step());
    from.put("method", source.method());
    from.put("objective", source.objective());
    from.put("code_version", source.codeVersion());
    d.put("source", from);
    d.put("preset", ModelSettings.preset(settings));
    d.put("dtype", model.dataType() == DataType.DOUBLE ? "float64" : "float32");
    d.put("pytorch_definition", "tools/reference/crisscross_ref.py (CrissCross; load with strict=True)");
    d.put("batch_norm", Map.of("eps", GraphBuilder.BN_EPSILON, "momentum", 0.1,
        "buffers", "running_mean, running_var (unbiased), num_batches_tracked (int64 scalar)"));
    if (modalities.contains(Modality.VIDEO)) {
      d.put("video", video(settings, model));
    }
    if (modalities.contains(Modality.AUDIO)) {
      d.put("audio", audio(settings, model));
    }
    d.put("heads_included", heads);
    List<String> modules = new ArrayList<>();
    for (TensorBlob t : tensors) {
      String module = t.name().substring(0, t.name().indexOf('.'));
      if (!modules.contains(module)) {
        modules.add(module);
      }
    }
    d.put("modules", modules);
    d.put("tensors", tensors.size());
    return d;
  }

  private static Map<String, Object> video(Settings settings, ModelSettings model) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("module", Modality.VIDEO.prefix() + "_backbone");
    v.put("network", "R(2+1)D-18 as in the authors' code (Table S5): Conv3d 3x7x7 stem (stride 1,2,2) + BN + ReLU + "
        + "MaxPool3d (1,3,3)/(1,2,2); blocks conv1/conv2 = spatial (1,3,3) conv, BN, ReLU, temporal (3,1,1) conv, "
        + "no mid-channel expansion; out = ReLU(bn2(conv2 + shortcut)); shortcut downsample.0 = Conv3d 1x1x1 with "
        + "stride (s,s,s), no BN; mean over T, H, W");
    v.put("channels", model.videoChannels());
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("layout", "[B, 3, T, H, W], RGB");
    input.put("frames", model.framesPerView());
    input.put("frame_rate", SamplingSettings.videoFps(settings));
    input.put("crop", model.cropSize());
    input.put("decode_short_side", DecodeSettings.from(settings).shortSide());
    input.put("scale", "pixel / 255");
    input.put("normalize_mean", VideoAugmentSettings.normalizeMean(settings));
    input.put("normalize_std", VideoAugmentSettings.normalizeStd(settings));
    v.put("input", input);
    v.put("output", "layer4 feature map [B, C4, T/8, H/32, W/32] (sizes rounded up), averaged over T, H, W: [B, C4]");
    return v;
  }

  private static Map<String, Object> audio(Settings settings, ModelSettings model) {
    AudioSettings frontend = AudioSettings.from(settings);
    AudioAugmentSettings augment = AudioAugmentSettings.from(settings);
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("module", Modality.AUDIO.prefix() + "_backbone");
    a.put("network", "ResNet-18 in torchvision's layout on one input channel (Table S6): conv1 7x7/2, bn1, ReLU, "
        + "MaxPool2d 3/2, layer1..layer4 of two BasicBlocks, no fc; mean over F, T");
    a.put("channels", model.audioChannels());
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("layout", "[B, 1, F, T]: F mel bands, T frames");
    input.put("sample_rate", frontend.sampleRate());
    input.put("n_fft", frontend.fftSize());
    input.put("hop_length", frontend.hopLength());
    input.put("window", "hann, centred, zero padding");
    input.put("mel_bands", frontend.melBands());
    input.put("mel_scale", "slaney, norm slaney, 0 Hz to Nyquist (librosa.filters.mel defaults)");
    input.put("power", 2.0);
    input.put("frames", frontend.outputFrames());
    input.put("log", "ln(mel_power + " + frontend.logOffset() + ")");
    input.put("log_offset", frontend.logOffset());
    if (augment.standardization() == AudioAugmentSettings.Standardization.FIXED) {
      input.put("standardize", "fixed: (x - mean) / std");
      input.put("standardize_mean", augment.fixedMean());
      input.put("standardize_std", augment.fixedStd());
    } else {
      input.put("standardize", "view: zero mean, unit variance over each [F, T] view");
    }
    a.put("input", input);
    a.put("output", "layer4 feature map [B, C4, F/32, T/32] (sizes rounded up), averaged over F, T: [B, C4]");
    return a;
  }
}
