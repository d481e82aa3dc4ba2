package crisscross.trainer.actor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The watchdog's protocol under manual time: what it tells, when, and only once. */
class StepWatchdogTest {
  static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config());
  static final ManualTime TIME = ManualTime.get(KIT.system());

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void theLimitIsFixedOrAMultipleOfTheMedianAndNeverBelowTheMinimum() {
    StepWatchdog.Policy auto = new StepWatchdog.Policy(Duration.ZERO, 20, Duration.ofMinutes(10));
    assertThat(auto.limit(Double.NaN)).as("before any step ended").isEqualTo(Duration.ofMinutes(10));
    assertThat(auto.limit(1.2)).isEqualTo(Duration.ofMinutes(10));
    assertThat(auto.limit(60)).isEqualTo(Duration.ofMinutes(20));
    assertThat(new StepWatchdog.Policy(Duration.ofSeconds(90), 20, Duration.ofMinutes(10)).limit(60))
        .isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void aStepThatEndsInTimeIsNotReportedAndOneThatDoesNotIsReportedOnce() {
    TestProbe<StepWatchdog.Stuck> parent = KIT.createTestProbe();
    ActorRef<StepWatchdog.Command> watchdog = KIT.spawn(StepWatchdog.create(
        new StepWatchdog.Policy(Duration.ZERO, 10, Duration.ofSeconds(30)), parent.getRef()));
    watchdog.tell(new StepWatchdog.StepStarted(1));
    watchdog.tell(new StepWatchdog.StepEnded(1, 29));
    TIME.timePasses(Duration.ofSeconds(31));
    parent.expectNoMessage(Duration.ofMillis(50));

    for (long step = 2; step <= 4; step++) {
      watchdog.tell(new StepWatchdog.StepStarted(step));
      watchdog.tell(new StepWatchdog.StepEnded(step, 4));
    }
    // Median of 29, 4, 4, 4 is 4 s: 10 x 4 s = 40 s, above the 30 s minimum.
    watchdog.tell(new StepWatchdog.StepStarted(5));
    TIME.timePasses(Duration.ofSeconds(39));
    parent.expectNoMessage(Duration.ofMillis(50));
    TIME.timePasses(Duration.ofSeconds(2));
    assertThat(parent.receiveMessage()).isEqualTo(new StepWatchdog.Stuck(5, Duration.ofSeconds(40)));
    TIME.timePasses(Duration.ofMinutes(10));
    parent.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void theDumpHoldsEveryThreadsStack() {
    String dump = StepWatchdog.threadDump();
    assertThat(dump).contains("\"main\"").contains("at java.");
  }
}
