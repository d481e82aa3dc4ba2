package crisscross.trainer.actor;

import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.CheckpointManifest;
import crisscross.trainer.checkpoint.CheckpointStore;
import java.io.IOException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Writes checkpoints one after another, off the training thread (spawn it on the blocking-I/O dispatcher).
 * A failed write is reported, never fatal: the previous checkpoint stays valid and the next one is tried.
 * Writes carry the incarnation of the trainer that asked for them, so that a trainer retired while stuck in a
 * step cannot land a checkpoint once that step returns ({@link RefuseBefore}).
 */
public final class CheckpointWriter extends AbstractBehavior<CheckpointWriter.Command> {
  public sealed interface Command {}

  /** Write this checkpoint for trainer {@code incarnation} and tell {@code replyTo} how it went. */
  public record Write(Checkpoint checkpoint, int incarnation, ActorRef<Outcome> replyTo) implements Command {}

  /** From now on refuse the writes of trainer incarnations before {@code incarnation} (they were retired). */
  public record RefuseBefore(int incarnation) implements Command {}

  /** Reply once every write queued before this message is done. */
  public record Flush(ActorRef<Flushed> replyTo) implements Command {}

  public record Flushed() {}

  public sealed interface Outcome {
    long step();
  }

  public record Written(long step, CheckpointManifest manifest) implements Outcome {}

  public record Failed(long step, String error) implements Outcome {}

  private final CheckpointStore store;
  private final RunBoard board;
  private final ActorRef<HealthMonitor.Command> health;
  private int oldestAccepted;

  public static Behavior<Command> create(CheckpointStore store, RunBoard board,
      ActorRef<HealthMonitor.Command> health) {
    return Behaviors.setup(context -> new CheckpointWriter(context, store, board, health));
  }

  private CheckpointWriter(ActorContext<Command> context, CheckpointStore store, RunBoard board,
      ActorRef<HealthMonitor.Command> health) {
    super(context);
    this.store = store;
    this.board = board;
    this.health = health;
    health.tell(new HealthMonitor.Heartbeat(context.getSelf().path().name(), "idle"));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Write.class, this::onWrite)
        .onMessage(RefuseBefore.class, refuse -> {
          oldestAccepted = Math.max(oldestAccepted, refuse.incarnation());
          return this;
        })
        .onMessage(Flush.class, flush -> {
          flush.replyTo().tell(new Flushed());
          return this;
        })
        .build();
  }

  private Behavior<Command> onWrite(Write write) {
    long step = write.checkpoint().trainerState().step();
    String self = getContext().getSelf().path().name();
    if (write.incarnation() < oldestAccepted) {
      getContext().getLog().warn("checkpoint at step {} from retired trainer {} refused", step, write.incarnation());
      write.replyTo().tell(new Failed(step, "trainer " + write.incarnation() + " was retired"));
      return this;
    }
    health.tell(new HealthMonitor.Heartbeat(self, "writing step " + step));
    try {
      CheckpointManifest manifest = store.write(write.checkpoint());
      board.checkpointWritten(manifest);
      getContext().getLog().info("checkpoint {} written to {}", manifest.name(), store.location());
      write.replyTo().tell(new Written(step, manifest));
    } catch (IOException | RuntimeException e) {
      board.checkpointFailed("step " + step + ": " + e.getMessage());
      getContext().getLog().warn("checkpoint at step {} could not be written to {}: {}", step, store.location(),
          e.getMessage());
      write.replyTo().tell(new Failed(step, e.getMessage()));
    }
    health.tell(new HealthMonitor.Heartbeat(self, "idle"));
    return this;
  }
}
