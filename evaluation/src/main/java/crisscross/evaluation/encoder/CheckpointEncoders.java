package crisscross.evaluation.encoder;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import crisscross.evaluation.cache.CacheKey;
import crisscross.evaluation.report.EncoderKind;
import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.ParameterDigest;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.model.CrissCrossModel;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.ModelState;
import crisscross.trainer.objective.Objective;
import crisscross.trainer.objective.Objectives;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rebuilds the encoders of a checkpoint. The model is created from the checkpoint's own configuration (preset,
 * widths, data type, seed) and objective, so an audio-only checkpoint ({@code a1a2}) has only the audio encoder,
 * and its parameters and BN running statistics are copied in. The random-initialised floor is the same
 * architecture created with the run's seed: exactly the weights pretraining started from.
 */
public final class CheckpointEncoders {
  private CheckpointEncoders() {}

  /**
   * The effective settings of an evaluation: the checkpoint's configuration (what the encoders were trained on:
   * input sizes, audio frontend, augmentation, seed) without its {@code evaluation} section, then the user's files
   * and overrides on top of the current defaults. Secrets were redacted when the checkpoint was written and come
   * back empty (the default credential chain) unless given again.
   */
  public static Settings effectiveSettings(Checkpoint checkpoint, List<Config> files, List<String> overrides) {
    Config stored;
    try {
      stored = ConfigFactory.parseString(checkpoint.effectiveConfig(),
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON).setOriginDescription("the checkpoint's "
              + "configuration"));
    } catch (ConfigException e) {
      throw new ConfigError("the checkpoint's configuration cannot be parsed: " + e.getMessage(), e);
    }
    stored = stored.withoutPath("evaluation");
    for (String key : Settings.SECRET_KEYS) {
      if (stored.hasPath(key) && stored.getString(key).equals("<redacted>")) {
        stored = stored.withValue(key, ConfigValueFactory.fromAnyRef(""));
      }
    }
    List<Config> layers = new ArrayList<>();
    layers.add(stored);
    layers.addAll(files);
    return ConfigLoader.load(layers, overrides);
  }

  /** The checkpoint's objective, as stored in it. */
  public static Objective objective(Checkpoint checkpoint) {
    return Objectives.byName(checkpoint.objective());
  }

  /**
   * The checkpoint's model with its weights.
   *
   * @param settings {@link #effectiveSettings} of the checkpoint
   * @param description one line saying where it came from, for reports
   */
  public static Encoder pretrained(Checkpoint checkpoint, Settings settings, String description) {
    ModelSettings modelSettings = ModelSettings.from(settings);
    Objective objective = objective(checkpoint);
    CrissCrossModel model = CrissCrossModel.create(modelSettings, objective, seed(settings));
    Map<String, INDArray> parameters = arrays(checkpoint.model().parameters());
    Map<String, INDArray> buffers = arrays(checkpoint.model().buffers());
    try {
      model.restore(new ModelState(parameters, buffers));
    } catch (IllegalArgumentException e) {
      model.close();
      throw new ConfigError("the checkpoint's weights do not fit the model its configuration describes ("
          + modelSettings + ", objective " + objective.name() + "): " + e.getMessage(), e);
    } finally {
      parameters.values().forEach(INDArray::close);
      buffers.values().forEach(INDArray::close);
    }
    List<TensorBlob> weights = new ArrayList<>(checkpoint.model().parameters());
    weights.addAll(checkpoint.model().buffers());
    return new Encoder(EncoderKind.PRETRAINED, model, "checkpoint:" + ParameterDigest.sha256(weights),
        description);
  }

  /** The same architecture and objective as the checkpoint's, at the initial weights of seed {@code run.seed}. */
  public static Encoder randomInit(Checkpoint checkpoint, Settings settings) {
    ModelSettings modelSettings = ModelSettings.from(settings);
    Objective objective = objective(checkpoint);
    long seed = seed(settings);
    CrissCrossModel model = CrissCrossModel.create(modelSettings, objective, seed);
    String identity = "objective=" + objective.name() + " " + modelSettings + " seed=" + seed;
    return new Encoder(EncoderKind.RANDOM_INIT, model, "random-init:" + CacheKey.sha256(identity),
        "random initialisation, seed " + seed + " (the weights pretraining started from)");
  }

  private static long seed(Settings settings) {
    return settings.runSeed();
  }

  /** Checkpoint blobs as arrays of their own type, by name (C order, as written). */
  static Map<String, INDArray> arrays(List<TensorBlob> blobs) {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    for (TensorBlob blob : blobs) {
      INDArray array = switch (blob.dtype()) {
        case "f4" -> Nd4j.create(blob.floats(), blob.shape(), 'c');
        case "f8" -> Nd4j.create(blob.doubles(), blob.shape(), 'c');
        case "i8" -> Nd4j.createFromArray(blob.longs()).reshape(blob.shape()).castTo(DataType.LONG);
        default -> throw new IllegalArgumentException(blob.name() + ": unsupported dtype " + blob.dtype());
      };
      arrays.put(blob.name(), array);
    }
    return arrays;
  }
}
