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
import crisscross.trainer.run.Backends;
import crisscross.trainer.model.Backbones;
import crisscross.trainer.model.Encoders;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.ModelState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rebuilds the encoders of a checkpoint, whatever method trained it. The backbones are created from the
 * checkpoint's own configuration (preset, widths, data type, seed) for the modalities it holds backbone weights of,
 * so an audio-only checkpoint ({@code a1a2}) has only the audio encoder, and their parameters and BN running
 * statistics are copied in (heads are left behind). The random-initialised floor is the same architecture created
 * with the run's seed: exactly the weights pretraining started from.
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

  /** The modalities whose backbone weights the checkpoint holds. */
  public static Set<Modality> modalities(Checkpoint checkpoint) {
    EnumSet<Modality> found = EnumSet.noneOf(Modality.class);
    for (TensorBlob blob : checkpoint.model().parameters()) {
      for (Modality m : Modality.values()) {
        if (Backbones.isBackboneEntry(blob.name(), Set.of(m))) {
          found.add(m);
        }
      }
    }
    return found;
  }

  /** The method and variant that trained the checkpoint, for reports ({@code crisscross (sync+async)}). */
  public static String method(Checkpoint checkpoint) {
    return checkpoint.method() + " (" + checkpoint.objective() + ")";
  }

  /**
   * The checkpoint's backbones with its weights.
   *
   * @param settings {@link #effectiveSettings} of the checkpoint
   * @param description one line saying where it came from, for reports
   */
  public static Encoder pretrained(Checkpoint checkpoint, Settings settings, String description) {
    ModelSettings modelSettings = ModelSettings.from(settings);
    Set<Modality> modalities = modalities(checkpoint);
    if (modalities.isEmpty()) {
      throw new ConfigError("the checkpoint holds no backbone weights (" + method(checkpoint) + ")");
    }
    Encoders model = Backends.current().encoders(modelSettings, modalities, seed(settings));
    Map<String, INDArray> parameters = arrays(checkpoint.model().parameters());
    Map<String, INDArray> buffers = arrays(checkpoint.model().buffers());
    try {
      model.restore(new ModelState(parameters, buffers));
    } catch (IllegalArgumentException e) {
      model.close();
      throw new ConfigError("the checkpoint's weights do not fit the backbones its configuration describes ("
          + modelSettings + ", " + method(checkpoint) + "): " + e.getMessage(), e);
    } finally {
      parameters.values().forEach(INDArray::close);
      buffers.values().forEach(INDArray::close);
    }
    List<TensorBlob> weights = new ArrayList<>(checkpoint.model().parameters());
    weights.addAll(checkpoint.model().buffers());
    return new Encoder(EncoderKind.PRETRAINED, model, method(checkpoint),
        "checkpoint:" + ParameterDigest.sha256(weights), description);
  }

  /** The same backbones as the checkpoint's, at the initial weights of seed {@code run.seed}. */
  public static Encoder randomInit(Checkpoint checkpoint, Settings settings) {
    ModelSettings modelSettings = ModelSettings.from(settings);
    Set<Modality> modalities = modalities(checkpoint);
    long seed = seed(settings);
    Encoders model = Backends.current().encoders(modelSettings, modalities, seed);
    String identity = "backbones=" + modalities + " " + modelSettings + " seed=" + seed;
    return new Encoder(EncoderKind.RANDOM_INIT, model, "random initialisation",
        "random-init:" + CacheKey.sha256(identity),
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
