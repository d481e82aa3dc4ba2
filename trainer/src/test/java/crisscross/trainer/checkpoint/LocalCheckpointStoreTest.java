package crisscross.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import crisscross.trainer.host.NativeKernels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCheckpointStoreTest {
  static final NativeKernels KERNELS = new NativeKernels("nd4j-native 1.0.0-M2.1 linux-x86_64-onednn-avx2",
      "AMD EPYC", "avx512_core_bf16", "avx2", "Haswell", 2);
  @TempDir Path dir;

  static Checkpoint checkpointAt(long step, float scale) {
    ArrayList<TensorBlob> parameters = new ArrayList<>(List.of(
        TensorBlob.ofFloats("video.conv.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, scale}),
        TensorBlob.ofFloats("audio.fc.bias", new long[] {2}, new float[] {scale, -scale})));
    ArrayList<TensorBlob> buffers = new ArrayList<>(List.of(
        TensorBlob.ofFloats("video.bn.running_mean", new long[] {3}, new float[] {0.1f, 0.2f, 0.3f})));
    ArrayList<TensorBlob> optimiser = new ArrayList<>(List.of(
        TensorBlob.ofDoubles("adam.m.video.conv.weight", new long[] {2, 3}, new double[] {0, 0, 0, 1, 1, 1}),
        TensorBlob.ofLongs("adam.t", new long[] {1}, new long[] {step})));
    TrainerState state = new TrainerState(step, 1, 37, step * 8, 42, new HashMap<>(Map.of("faults", 99L)),
        new ArrayList<>(List.of("intra", "sync", "async")),
        new ArrayList<>(List.of(new MetricPoint(step, 1, 1000L, -0.5, new double[] {-0.4, -0.5, -0.6}, 12.5, 2e-4,
            0.03))), new HashMap<>(Map.of("no_audio", 2L)), step * 9, 0x5EEDL + step);
    return new Checkpoint("crisscross", "crisscross", "{\"a\":1}", "cafe", "beef", "test", KERNELS, state,
        new ModelSnapshot(parameters, buffers, optimiser));
  }

  @Test
  void roundTripsEveryPart() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 3, 0);
    Checkpoint written = checkpointAt(500, 7f);
    CheckpointManifest manifest = store.write(written);

    assertThat(store.names()).containsExactly("step-000000000500");
    assertThat(manifest.step()).isEqualTo(500);
    assertThat(manifest.parameterSha256()).isEqualTo(ParameterDigest.sha256(written.model().parameters()));
    Checkpoint read = store.read("step-000000000500");
    assertThat(read.model()).isEqualTo(written.model());
    assertThat(read.effectiveConfig()).isEqualTo("{\"a\":1}");
    assertThat(read.configHash()).isEqualTo("cafe");
    assertThat(read.dataManifestHash()).isEqualTo("beef");
    assertThat(read.kernels()).isEqualTo(KERNELS);
    assertThat(store.manifest("step-000000000500").kernels().effectiveIsa()).isEqualTo("avx2");
    TrainerState state = read.trainerState();
    assertThat(state.step()).isEqualTo(500);
    assertThat(state.positionInEpoch()).isEqualTo(37);
    assertThat(state.randomStates()).containsEntry("faults", 99L);
    assertThat(state.history().get(0).terms()).containsExactly(-0.4, -0.5, -0.6);
    assertThat(state.skippedByReason()).containsEntry("no_audio", 2L);
  }

  /**
   * A method's own tensors travel in a file of their own; a stateless method's checkpoint has none, so it is what
   * earlier versions wrote, and a manifest from before methods were recorded reads as CrissCross.
   */
  @Test
  void methodStateRoundTripsAndStatelessCheckpointsKeepTheEarlierLayout() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 5, 0);
    Checkpoint stateless = checkpointAt(100, 1f);
    store.write(stateless);
    assertThat(dir.resolve("step-000000000100").resolve(LocalCheckpointStore.METHOD_STATE_FILE)).doesNotExist();
    assertThat(store.read("step-000000000100").model().method()).isEmpty();

    ModelSnapshot tensors = checkpointAt(200, 2f).model();
    ArrayList<TensorBlob> queue = new ArrayList<>(List.of(
        TensorBlob.ofDoubles("queue.features", new long[] {2, 2}, new double[] {0.5, -1, 3, 1e-300}),
        TensorBlob.ofLongs("queue.next", new long[] {1}, new long[] {Long.MAX_VALUE})));
    Checkpoint withState = new Checkpoint("xdc", "xdc", "{}", "cafe", "beef", "test", KERNELS,
        checkpointAt(200, 2f).trainerState(), new ModelSnapshot(tensors.parameters(), tensors.buffers(),
            tensors.optimiser(), queue));
    store.write(withState);
    Checkpoint read = store.read("step-000000000200");
    assertThat(read.model().method()).isEqualTo(queue);
    assertThat(read.method()).isEqualTo("xdc");
    assertThat(store.manifest("step-000000000200").fileEntries()).containsKey(LocalCheckpointStore.METHOD_STATE_FILE);

    Path manifest = dir.resolve("step-000000000100").resolve(LocalCheckpointStore.MANIFEST_FILE);
    com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
        CheckpointManifest.JSON.readTree(manifest.toFile());
    json.remove("method");
    Files.write(manifest, CheckpointManifest.JSON.writeValueAsBytes(json));
    assertThat(store.verify("step-000000000100").ok()).isTrue();
    assertThat(store.read("step-000000000100").method()).isEqualTo("crisscross");
    assertThat(store.manifest("step-000000000100").methodName()).isEqualTo("crisscross");
  }

  @Test
  void parameterDigestSeesAnySingleValueChange() {
    String a = ParameterDigest.sha256(checkpointAt(1, 7f).model().parameters());
    String b = ParameterDigest.sha256(checkpointAt(1, 7.000001f).model().parameters());
    assertThat(a).isNotEqualTo(b).hasSize(64);
  }

  @Test
  void keepsOnlyTheNewestK() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 2, 0);
    for (long step : new long[] {100, 200, 300, 400}) {
      store.write(checkpointAt(step, step));
    }
    assertThat(store.names()).containsExactly("step-000000000400", "step-000000000300");
  }

  @Test
  void aFailedWriteLeavesNoPartialCheckpointAndThePreviousIntact() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 3, 2);
    store.write(checkpointAt(100, 1f));
    assertThatThrownBy(() -> store.write(checkpointAt(200, 2f)))
        .isInstanceOf(IOException.class).hasMessageContaining("injected checkpoint write failure");
    assertThat(store.names()).containsExactly("step-000000000100");
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("step-000000000100");
    }
    assertThat(store.verify("step-000000000100").ok()).isTrue();
    store.write(checkpointAt(300, 3f));
    assertThat(store.names()).containsExactly("step-000000000300", "step-000000000100");
  }

  /**
   * A disk that fills up in the middle of a checkpoint's file (ENOSPC from write(2)): the partial checkpoint is
   * removed, the previous one stays good and is still the newest, and the next write, once there is room, lands.
   */
  @Test
  void aDiskThatFillsUpMidWriteLeavesNoPartialCheckpointAndThePreviousGood() throws Exception {
    long[] freeBytes = {Long.MAX_VALUE};
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 3, 0, file -> new FileOutputStream(file.toFile()) {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > freeBytes[0]) {
          super.write(bytes, offset, (int) freeBytes[0]);
          freeBytes[0] = 0;
          throw new IOException("No space left on device");
        }
        freeBytes[0] -= length;
        super.write(bytes, offset, length);
      }

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }
    });
    store.write(checkpointAt(100, 1f));
    freeBytes[0] = 40;
    assertThatThrownBy(() -> store.write(checkpointAt(200, 2f)))
        .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString())).as("no temporary left behind")
          .containsExactly("step-000000000100");
    }
    assertThat(store.verify("step-000000000100").ok()).isTrue();
    assertThat(store.loadLatestValid(warning -> { }).orElseThrow().manifest().step()).isEqualTo(100);
    freeBytes[0] = Long.MAX_VALUE;
    store.write(checkpointAt(300, 3f));
    assertThat(store.names()).containsExactly("step-000000000300", "step-000000000100");
  }

  @Test
  void rewritingTheSameStepReplacesItAtomically() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 3, 0);
    store.write(checkpointAt(100, 1f));
    store.write(checkpointAt(100, 5f));
    assertThat(store.names()).containsExactly("step-000000000100");
    assertThat(store.read("step-000000000100").model().parameters().get(1).floats()[0]).isEqualTo(5f);
  }

  @Test
  void aDamagedLatestCheckpointFallsBackToThePreviousWithAWarning() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 3, 0);
    store.write(checkpointAt(100, 1f));
    store.write(checkpointAt(200, 2f));
    Path model = dir.resolve("step-000000000200").resolve(LocalCheckpointStore.MODEL_FILE);
    try (RandomAccessFile file = new RandomAccessFile(model.toFile(), "rw")) {
      file.seek(file.length() / 2);
      int b = file.read();
      file.seek(file.length() / 2);
      file.write(b ^ 0xFF);
    }
    List<String> warnings = new ArrayList<>();
    CheckpointStore.Loaded loaded = store.loadLatestValid(warnings::add).orElseThrow();
    assertThat(loaded.name()).isEqualTo("step-000000000100");
    assertThat(warnings).singleElement().asString().contains("step-000000000200").contains("checksum mismatch");
    assertThatThrownBy(() -> store.read("step-000000000200")).hasMessageContaining("damaged");
  }

  @Test
  void truncationAndMissingFilesAreDetected() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 5, 0);
    store.write(checkpointAt(100, 1f));
    store.write(checkpointAt(200, 2f));
    store.write(checkpointAt(300, 3f));
    Path state = dir.resolve("step-000000000300").resolve(LocalCheckpointStore.STATE_FILE);
    Files.write(state, java.util.Arrays.copyOf(Files.readAllBytes(state), 5));
    Files.delete(dir.resolve("step-000000000200").resolve(LocalCheckpointStore.MANIFEST_FILE));
    assertThat(store.verify("step-000000000300").problem()).contains("trainer-state.kryo has 5 bytes");
    assertThat(store.verify("step-000000000200").problem()).contains("no manifest.json");
    List<String> warnings = new ArrayList<>();
    assertThat(store.loadLatestValid(warnings::add).orElseThrow().name()).isEqualTo("step-000000000100");
    assertThat(warnings).hasSize(2);
  }

  @Test
  void noCheckpointAtAllIsEmpty() throws Exception {
    assertThat(new LocalCheckpointStore(dir.resolve("absent"), 1, 0).loadLatestValid(w -> { })).isEmpty();
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void anUnregisteredClassIsRefusedOnWrite() {
    Checkpoint checkpoint = checkpointAt(100, 1f);
    ((HashMap) checkpoint.trainerState().randomStates()).put("sneaky", UUID.randomUUID());
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 3, 0);
    assertThatThrownBy(() -> store.write(checkpoint)).isInstanceOf(IOException.class)
        .hasMessageContaining("not registered");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void anUnregisteredClassIsRefusedOnRead() {
    Kryo foreign = CheckpointCodec.newKryo();
    foreign.register(UUID.class, new com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer(), 99);
    TrainerState state = checkpointAt(100, 1f).trainerState();
    ((HashMap) state.randomStates()).put("sneaky", UUID.randomUUID());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Output output = new Output(bytes)) {
      foreign.writeObject(output, state);
    }
    assertThatThrownBy(() -> CheckpointCodec.read(new ByteArrayInputStream(bytes.toByteArray()), TrainerState.class))
        .isInstanceOf(IOException.class).hasMessageContaining("unregistered class ID: 99");
  }
}
