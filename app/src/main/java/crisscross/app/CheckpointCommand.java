package crisscross.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.storage.S3Location;
import crisscross.pipeline.storage.S3Settings;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.CheckpointManifest;
import crisscross.trainer.checkpoint.CheckpointStore;
import crisscross.trainer.checkpoint.CheckpointStores;
import crisscross.trainer.checkpoint.ParameterDigest;
import crisscross.trainer.checkpoint.TensorBlob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code crisscross checkpoint ...}: look into checkpoints. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true, description = "Inspect checkpoints.",
    subcommands = CheckpointCommand.Info.class)
final class CheckpointCommand {

  /** {@code crisscross checkpoint info PATH [--json]}. */
  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "Step, epoch, position, method and variant, hashes, checksum state and a SHA-256 over all parameter "
          + "values of a checkpoint (the newest good one of a run directory, checkpoints directory or s3:// prefix).")
  static final class Info implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "A checkpoint, a checkpoints directory, a run directory, or "
        + "an s3://bucket/prefix of checkpoints.")
    String path;

    @Option(names = "--json", description = "One JSON object on stdout.")
    boolean json;

    @Option(names = "--all", description = "Every checkpoint found, newest first.")
    boolean all;

    @Mixin ConfigOptions config;

    @Override
    public Integer call() throws Exception {
      Settings settings = config.load(null);
      Located located = locate(path);
      CheckpointStore store = CheckpointStores.open(located.store(), 1_000_000, 0, S3Settings.from(settings),
          Files.createTempDirectory("crisscross-info"));
      List<String> names = located.name() == null ? store.names() : List.of(located.name());
      if (names.isEmpty()) {
        throw new UserError("no checkpoint in " + located.store());
      }
      int worst = 0;
      for (String name : all ? names : names.subList(0, 1)) {
        Map<String, Object> info = describe(store, name);
        worst = Math.max(worst, "ok".equals(info.get("checksums")) ? 0 : 1);
        print(info);
      }
      return worst;
    }

    private void print(Map<String, Object> info) throws Exception {
      if (json) {
        System.out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(info));
        return;
      }
      for (Map.Entry<String, Object> e : info.entrySet()) {
        System.out.printf("%-19s %s%n", e.getKey().replace('_', ' '), e.getValue());
      }
      System.out.println();
    }
  }

  record Located(String store, String name) {}

  /** Resolves a user's path to a checkpoint store and, if it names one, a checkpoint. */
  static Located locate(String path) {
    if (S3Location.isS3(path)) {
      String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      int slash = trimmed.lastIndexOf('/');
      String last = trimmed.substring(slash + 1);
      return last.matches("step-\\d{12}") ? new Located(trimmed.substring(0, slash), last) : new Located(trimmed, null);
    }
    Path p = Path.of(path);
    if (!Files.exists(p)) {
      throw new UserError("'" + path + "' does not exist");
    }
    if (Files.isRegularFile(p.resolve("manifest.json"))) {
      Path parent = p.toAbsolutePath().getParent();
      return new Located(parent.toString(), p.getFileName().toString());
    }
    if (Files.isDirectory(p.resolve("checkpoints"))) {
      return new Located(p.resolve("checkpoints").toString(), null);
    }
    return new Located(p.toString(), null);
  }

  static Map<String, Object> describe(CheckpointStore store, String name) throws Exception {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("checkpoint", store.location() + "/" + name);
    CheckpointStore.Verification verification = store.verify(name);
    CheckpointManifest manifest = null;
    try {
      manifest = store.manifest(name);
    } catch (Exception e) {
      info.put("checksums", "DAMAGED: " + e.getMessage());
      return info;
    }
    info.put("step", manifest.step());
    info.put("epoch", manifest.epoch());
    info.put("position_in_epoch", manifest.positionInEpoch());
    info.put("method", manifest.methodName());
    info.put("objective", manifest.objective());
    info.put("config_hash", manifest.configHash());
    info.put("data_manifest_hash", manifest.dataManifestHash());
    info.put("code_version", manifest.codeVersion());
    info.put("native_kernels", manifest.kernels() == null ? "not recorded" : manifest.kernels().describe());
    info.put("created", manifest.createdAt());
    info.put("checksums", verification.ok() ? "ok" : "DAMAGED: " + verification.problem());
    if (verification.ok()) {
      Checkpoint checkpoint = store.read(name);
      List<TensorBlob> parameters = checkpoint.model().parameters();
      long values = 0;
      for (TensorBlob blob : parameters) {
        values += blob.data().length / (blob.dtype().equals("f4") ? 4 : 8);
      }
      info.put("parameter_sha256", ParameterDigest.sha256(parameters));
      info.put("parameter_tensors", parameters.size());
      info.put("parameter_values", values);
      info.put("samples_trained", checkpoint.trainerState().samplesTrained());
      info.put("consumed_visits", checkpoint.trainerState().consumedVisits());
      info.put("consumption_digest", Long.toHexString(checkpoint.trainerState().consumptionDigest()));
      info.put("skipped", checkpoint.trainerState().skippedByReason());
    } else {
      info.put("parameter_sha256", manifest.parameterSha256() + " (from the manifest; files damaged)");
    }
    return info;
  }
}
