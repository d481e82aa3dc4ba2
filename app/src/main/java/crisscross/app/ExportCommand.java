package crisscross.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import crisscross.evaluation.encoder.CheckpointEncoders;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.storage.S3Settings;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.CheckpointStore;
import crisscross.trainer.checkpoint.CheckpointStores;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.export.ForwardCheck;
import crisscross.trainer.export.Safetensors;
import crisscross.trainer.export.WeightExport;
import crisscross.trainer.model.Encoders;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.ModelState;
import crisscross.trainer.run.Backends;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crisscross export}: a checkpoint's weights for other frameworks. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write a checkpoint's backbones (and, with --heads, its heads) as " + WeightExport.WEIGHTS_FILE
        + " in PyTorch's names and layouts, with BN running statistics, and " + WeightExport.DESCRIPTION_FILE
        + " describing the networks and their inputs (frame rate, crop, normalisation, mel settings).",
        "The names are the state_dict() keys of tools/reference/crisscross_ref.py's CrissCross module; "
            + "`pretrain --set model.init-from=DIR/" + WeightExport.WEIGHTS_FILE + "` starts from them."})
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, paramLabel = "RUN_OR_CHECKPOINT",
      description = "A run directory, its checkpoints directory, one checkpoint (step-...), or an s3:// prefix; the "
          + "newest good checkpoint is used unless one is named.")
  String checkpoint;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "safetensors",
      description = "Only safetensors (the default).")
  String format;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into.")
  Path out;

  @Option(names = "--heads", description = "Also export the method's heads (projectors, predictors, ...).")
  boolean heads;

  @Option(names = "--forward-check", description = "Also write " + ForwardCheck.FILE + ": a fixed input per "
      + "modality and the backbones' outputs on it (for tools/export/check_export.py).")
  boolean forwardCheck;

  @Option(names = "--forward-check-batch", paramLabel = "N", defaultValue = "2",
      description = "Samples in the forward check's input (default 2).")
  int forwardCheckBatch;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("safetensors")) {
      throw new UserError("--format: unknown format '" + format + "'; known: safetensors");
    }
    if (forwardCheckBatch < 1 || forwardCheckBatch > 64) {
      throw new UserError("--forward-check-batch must be between 1 and 64, got " + forwardCheckBatch);
    }
    Settings userSettings = config.load(null);
    CheckpointCommand.Located located = CheckpointCommand.locate(checkpoint);
    CheckpointStore store = CheckpointStores.open(located.store(), 1_000_000, 0, S3Settings.from(userSettings),
        Files.createTempDirectory("crisscross-export"));
    CheckpointStore.Loaded loaded = EvaluateCommand.load(store, located);
    Checkpoint cp = loaded.checkpoint();
    List<Config> files = new ArrayList<>();
    for (String file : config.configs) {
      files.add(ConfigLoader.parseConfigArgument(file));
    }
    Settings settings = CheckpointEncoders.effectiveSettings(cp, files, config.overrides);
    Set<Modality> modalities = WeightExport.modalities(cp.model());
    if (modalities.isEmpty()) {
      throw new UserError("checkpoint " + store.location() + "/" + loaded.name() + " holds no backbone weights");
    }
    List<TensorBlob> tensors = WeightExport.tensors(cp.model(), heads);
    String name = store.location() + "/" + loaded.name();
    Files.createDirectories(out);
    Path weights = out.resolve(WeightExport.WEIGHTS_FILE);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("crisscross", WeightExport.FORMAT);
    metadata.put("checkpoint", name);
    Safetensors.write(weights, tensors, metadata);
    Map<String, Object> description = WeightExport.description(settings, new WeightExport.Source(name,
        loaded.manifest().step(), cp.method(), cp.objective(), cp.codeVersion()), modalities, tensors, heads);
    Path json = out.resolve(WeightExport.DESCRIPTION_FILE);
    Files.write(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(description));
    System.err.printf("crisscross export: %s (step %d) -> %s (%d tensors), %s%n", name, loaded.manifest().step(),
        weights, tensors.size(), json);
    if (forwardCheck) {
      Path check = out.resolve(ForwardCheck.FILE);
      Safetensors.write(check, forwardCheck(settings, modalities, weights,
          bufferNames(cp)), Map.of("crisscross", WeightExport.FORMAT));
      System.err.printf("crisscross export: forward check on a fixed input -> %s%n", check);
    }
    return 0;
  }

  private static Set<String> bufferNames(Checkpoint cp) {
    Set<String> names = new java.util.HashSet<>();
    cp.model().buffers().forEach(b -> names.add(b.name()));
    return names;
  }

  /** The outputs of backbones holding exactly the exported file's values (read back from it). */
  private List<TensorBlob> forwardCheck(Settings settings, Set<Modality> modalities, Path weights,
      Set<String> bufferNames) throws Exception {
    Map<String, INDArray> parameters = new LinkedHashMap<>();
    Map<String, INDArray> buffers = new LinkedHashMap<>();
    for (TensorBlob t : Safetensors.read(weights).tensors()) {
      INDArray array = switch (t.dtype()) {
        case "f4" -> Nd4j.create(t.floats(), t.shape(), 'c');
        case "f8" -> Nd4j.create(t.doubles(), t.shape(), 'c');
        default -> Nd4j.createFromArray(t.longs()).reshape(t.shape()).castTo(DataType.LONG);
      };
      (bufferNames.contains(t.name()) ? buffers : parameters).put(t.name(), array);
    }
    try (Encoders encoders = Backends.current().encoders(ModelSettings.from(settings), modalities,
        settings.runSeed())) {
      encoders.restore(new ModelState(parameters, buffers));
      return ForwardCheck.compute(encoders, forwardCheckBatch, settings.runSeed());
    } finally {
      parameters.values().forEach(INDArray::close);
      buffers.values().forEach(INDArray::close);
    }
  }
}
