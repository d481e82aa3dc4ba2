package crisscross.trainer.actor;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The actor system's root: starts the run supervisor and ends the system when the run ends. */
public final class RunGuardian {
  private RunGuardian() {}

  /** Commands to the guardian are forwarded to the run supervisor. */
  public static Behavior<RunSupervisor.Command> create(RunSpec spec, CompletableFuture<RunOutcome> outcome) {
    return Behaviors.setup(context -> {
      ActorRef<RunSupervisor.Command> supervisor = context.spawn(RunSupervisor.create(spec, outcome), "run");
      context.watch(supervisor);
      return Behaviors.receive(RunSupervisor.Command.class)
          .onAnyMessage(message -> {
            supervisor.tell(message);
            return Behaviors.same();
          })
          .onSignal(Terminated.class, terminated -> {
            if (!outcome.isDone()) {
              outcome.completeExceptionally(new IllegalStateException("the run supervisor stopped without an outcome"));
            }
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
