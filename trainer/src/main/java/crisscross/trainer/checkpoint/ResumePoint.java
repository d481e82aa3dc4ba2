package crisscross.trainer.checkpoint;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a run starts: its newest checkpoint that reads, or the initial weights when its checkpoint store holds no
 * checkpoint at all. A store that holds checkpoints of which none reads is refused, since starting over there would
 * silently throw away the training they stand for (and write new checkpoints among them); only
 * {@value #DISCARD_KEY} = true discards them, deliberately.
 */
public final class ResumePoint {
  /** The setting that lets a run delete checkpoints it cannot read and start from the initial weights. */
  public static final String DISCARD_KEY = "checkpoint.discard-unreadable";

  private ResumePoint() {}

  /**
   * The newest readable checkpoint in {@code store}, or empty when there is none to resume from. Damaged newer
   * checkpoints are skipped with a warning, as in {@link CheckpointStore#loadLatestValid}.
   *
   * @param discardUnreadable when the store holds only unreadable checkpoints: delete them (each named through
   *     {@code warnings}) and return empty, rather than refuse
   * @throws UnreadableCheckpointsException when the store holds checkpoints, none readable, and
   *     {@code discardUnreadable} is false
   */
  public static Optional<CheckpointStore.Loaded> find(CheckpointStore store, boolean discardUnreadable,
      Consumer<String> warnings) throws IOException {
    Optional<CheckpointStore.Loaded> loaded = store.loadLatestValid(warnings);
    if (loaded.isPresent()) {
      return loaded;
    }
    List<String> unreadable = store.names();
    if (unreadable.isEmpty()) {
      return Optional.empty();
    }
    if (!discardUnreadable) {
      throw new UnreadableCheckpointsException(store.location(), unreadable);
    }
    for (String name : unreadable) {
      store.discard(name);
      warnings.accept("discarded unreadable checkpoint " + name + " in " + store.location() + " (" + DISCARD_KEY
          + " = true)");
    }
    return Optional.empty();
  }

  /** The store holds checkpoints and none of them reads; the message names them and {@link #DISCARD_KEY}. */
  public static final class UnreadableCheckpointsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final List<String> names;

    UnreadableCheckpointsException(String location, List<String> names) {
      super("checkpoint directory " + location + " holds " + names.size() + " checkpoint"
          + (names.size() == 1 ? "" : "s") + " (" + String.join(", ", names) + ") and none of them can be read "
          + "(see the warnings above); refusing to start over from the initial weights. Fix the storage and run "
          + "again, or set " + DISCARD_KEY + " = true to delete them and start from step 0.");
      this.names = List.copyOf(names);
    }

    /** The unreadable checkpoints, newest first. */
    public List<String> names() {
      return names;
    }
  }
}
