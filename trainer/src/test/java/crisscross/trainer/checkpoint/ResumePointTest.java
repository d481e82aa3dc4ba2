package crisscross.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumePointTest {
  @TempDir Path dir;

  @Test
  void anEmptyStoreStartsFromTheInitialWeights() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir.resolve("none"), 3, 0);
    assertThat(ResumePoint.find(store, false, warning -> {})).isEmpty();
  }

  @Test
  void aDamagedNewestCheckpointFallsBackToTheNewestReadableOne() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir.resolve("mixed"), 3, 0);
    store.write(LocalCheckpointStoreTest.checkpointAt(3, 3f));
    store.write(LocalCheckpointStoreTest.checkpointAt(5, 5f));
    UnreadableCheckpoints.frameManifest(store, "step-000000000005");
    List<String> warnings = new ArrayList<>();

    CheckpointStore.Loaded loaded = ResumePoint.find(store, false, warnings::add).orElseThrow();

    assertThat(loaded.name()).isEqualTo("step-000000000003");
    assertThat(warnings).singleElement().asString().contains("step-000000000005");
  }

  @Test
  void aStoreWhoseCheckpointsAreAllUnreadableIsRefusedNamingThemAndTheOptionAndKeepsThem() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir.resolve("framed"), 3, 0);
    store.write(LocalCheckpointStoreTest.checkpointAt(3, 3f));
    store.write(LocalCheckpointStoreTest.checkpointAt(5, 5f));
    UnreadableCheckpoints.frameManifest(store, "step-000000000003");
    UnreadableCheckpoints.frameManifest(store, "step-000000000005");

    assertThatThrownBy(() -> ResumePoint.find(store, false, warning -> {}))
        .isInstanceOf(ResumePoint.UnreadableCheckpointsException.class)
        .hasMessageContaining(store.location())
        .hasMessageContaining("step-000000000005, step-000000000003")
        .hasMessageContaining("refusing to start over")
        .hasMessageContaining("checkpoint.discard-unreadable = true");
    assertThat(store.names()).containsExactly("step-000000000005", "step-000000000003");
  }

  @Test
  void discardingUnreadableCheckpointsDeletesThemSoNewOnesAreNotPrunedBelowThem() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir.resolve("discard"), 1, 0);
    store.write(LocalCheckpointStoreTest.checkpointAt(5, 5f));
    UnreadableCheckpoints.frameManifest(store, "step-000000000005");
    List<String> warnings = new ArrayList<>();

    assertThat(ResumePoint.find(store, true, warnings::add)).isEmpty();

    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("discarded").contains("step-000000000005"));
    assertThat(store.names()).isEmpty();
    store.write(LocalCheckpointStoreTest.checkpointAt(1, 1f));
    assertThat(ResumePoint.find(store, false, warning -> {}).orElseThrow().name()).isEqualTo("step-000000000001");
  }
}
