package crisscross.trainer.actor;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.stream.Batch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The data feed's protocol under manual time: restarts of a failed stream, where and when. */
class DataFeedTest {
  static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config());
  static final ManualTime TIME = ManualTime.get(KIT.system());

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  static Batch batch(int epoch, long start) {
    return new Batch(epoch, start, start + 2, 2, new int[] {0, 1}, new String[] {"a", "b"}, List.of(new float[1],
        new float[1]), List.of(new float[1], new float[1]), List.of(), false);
  }

  @Test
  void theRetryWaitDoublesUpToAMinute() {
    assertThat(DataFeed.retryAfter(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(DataFeed.retryAfter(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(DataFeed.retryAfter(5)).isEqualTo(Duration.ofSeconds(32));
    assertThat(DataFeed.retryAfter(6)).isEqualTo(Duration.ofMinutes(1));
    assertThat(DataFeed.retryAfter(40)).isEqualTo(Duration.ofMinutes(1));
  }

  /**
   * Storage that fails the stream twice, each time after one batch (an outage the test starts once that batch is
   * trained), then recovers: each restart begins where the trainer stands, after 2 s, and a trained batch in
   * between resets the wait.
   */
  @Test
  void aFailedStreamRestartsWhereTheTrainerStandsAfterTheWait() {
    List<String> starts = new CopyOnWriteArrayList<>();
    List<CompletableFuture<String>> outages = new CopyOnWriteArrayList<>();
    RunSpec.BatchStreams streams = (epoch, position) -> {
      starts.add(epoch + "@" + position);
      CompletableFuture<String> outage = new CompletableFuture<>();
      outages.add(outage);
      Source<Batch, ?> batches = outages.size() <= 2
          ? Source.single(batch(epoch, position)).concat(Source.completionStage(outage)
              .flatMapConcat(started -> Source.<Batch>failed(new IllegalStateException("S3 outage"))))
          : Source.single(batch(epoch, position));
      return batches.viaMat(KillSwitches.single(), Keep.right());
    };
    TestProbe<Trainer.Command> trainer = KIT.createTestProbe();
    TestProbe<HealthMonitor.Command> health = KIT.createTestProbe();
    ActorRef<DataFeed.Command> feed = KIT.spawn(DataFeed.create(streams,
        KIT.<RunSupervisor.Command>createTestProbe().getRef(), health.getRef()));

    feed.tell(new DataFeed.StartFrom(trainer.getRef(), 1, 10));
    trained(feed, trainer, 1, 12);
    outages.get(0).complete("storage down");
    awaitFailure(health);
    TIME.timePasses(Duration.ofMillis(1_900));
    trainer.expectNoMessage(Duration.ofMillis(100));
    TIME.timePasses(Duration.ofMillis(200));
    Trainer.Train second = trainer.expectMessageClass(Trainer.Train.class);
    assertThat(second.batch().startPosition()).as("restarted where the trainer stands").isEqualTo(12);
    feed.tell(new DataFeed.Trained(second.generation(), 1, 14));
    outages.get(1).complete("storage down");
    awaitFailure(health);
    TIME.timePasses(Duration.ofMillis(2_100));
    Trainer.Train third = trainer.expectMessageClass(Trainer.Train.class);
    assertThat(third.batch().startPosition()).as("a trained batch reset the wait to 2 s").isEqualTo(14);
    assertThat(starts).containsExactly("1@10", "1@12", "1@14");
  }

  @Test
  void failuresInARowWaitLongerEachTime() {
    List<String> starts = new CopyOnWriteArrayList<>();
    RunSpec.BatchStreams streams = (epoch, position) -> {
      starts.add(epoch + "@" + position);
      return Source.<Batch>failed(new IllegalStateException("decoder crashed"))
          .viaMat(KillSwitches.single(), Keep.right());
    };
    TestProbe<Trainer.Command> trainer = KIT.createTestProbe();
    TestProbe<HealthMonitor.Command> health = KIT.createTestProbe();
    ActorRef<DataFeed.Command> feed = KIT.spawn(DataFeed.create(streams,
        KIT.<RunSupervisor.Command>createTestProbe().getRef(), health.getRef()));
    feed.tell(new DataFeed.StartFrom(trainer.getRef(), 0, 0));
    awaitFailure(health);
    TIME.timePasses(Duration.ofSeconds(2));
    awaitFailure(health);
    assertThat(starts).hasSize(2);
    TIME.timePasses(Duration.ofSeconds(3));
    trainer.expectNoMessage(Duration.ofMillis(100));
    assertThat(starts).as("the second wait is 4 s").hasSize(2);
    TIME.timePasses(Duration.ofSeconds(1));
    awaitFailure(health);
    assertThat(starts).hasSize(3).containsOnly("0@0");
  }

  /**
   * A feed that cannot even start its stream (the source throws while being built) fails; restarted by its parent, it
   * first asks the supervisor where the trainer stands, and streams from there once told.
   */
  @Test
  void aFeedRestartedByItsParentAsksWhereTheTrainerStands() {
    List<String> starts = new CopyOnWriteArrayList<>();
    RunSpec.BatchStreams streams = (epoch, position) -> {
      starts.add(epoch + "@" + position);
      if (starts.size() == 1) {
        throw new IllegalStateException("cannot list s3://corpus/train/");
      }
      return Source.single(batch(epoch, position)).viaMat(KillSwitches.single(), Keep.right());
    };
    TestProbe<Trainer.Command> trainer = KIT.createTestProbe();
    TestProbe<RunSupervisor.Command> supervisor = KIT.createTestProbe();
    TestProbe<HealthMonitor.Command> health = KIT.createTestProbe();
    ActorRef<DataFeed.Command> feed = KIT.spawn(Behaviors.supervise(DataFeed.create(streams, supervisor.getRef(),
        health.getRef())).onFailure(Exception.class, SupervisorStrategy.restart()));

    feed.tell(new DataFeed.StartFrom(trainer.getRef(), 2, 8));
    supervisor.expectMessageClass(RunSupervisor.FeedRestarted.class);
    health.fishForMessage(Duration.ofSeconds(5), message -> message instanceof HealthMonitor.Restarted restarted
        && restarted.cause().contains("cannot list s3://corpus/train/")
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    trainer.expectNoMessage(Duration.ofMillis(100));
    feed.tell(new DataFeed.StartFrom(trainer.getRef(), 2, 12));
    Trainer.Train train = trainer.expectMessageClass(Trainer.Train.class);
    assertThat(train.batch().epoch()).isEqualTo(2);
    assertThat(train.batch().startPosition()).isEqualTo(12);
    assertThat(starts).containsExactly("2@8", "2@12");
  }

  /**
   * Two restarts that cross can start a stream behind the trainer: the trainer refuses its batch and says where it
   * stands, and the feed streams from there at once; a refusal from an older generation changes nothing.
   */
  @Test
  void aBatchTheTrainerRefusesRestartsTheStreamWhereTheTrainerStands() {
    List<String> starts = new CopyOnWriteArrayList<>();
    RunSpec.BatchStreams streams = (epoch, position) -> {
      starts.add(epoch + "@" + position);
      return Source.single(batch(epoch, position)).viaMat(KillSwitches.single(), Keep.right());
    };
    TestProbe<Trainer.Command> trainer = KIT.createTestProbe();
    ActorRef<DataFeed.Command> feed = KIT.spawn(DataFeed.create(streams,
        KIT.<RunSupervisor.Command>createTestProbe().getRef(), KIT.<HealthMonitor.Command>createTestProbe().getRef()));

    feed.tell(new DataFeed.StartFrom(trainer.getRef(), 0, 8));
    Trainer.Train behind = trainer.expectMessageClass(Trainer.Train.class);
    feed.tell(new DataFeed.Misplaced(behind.generation() - 1, 0, 40));
    trainer.expectNoMessage(Duration.ofMillis(100));
    feed.tell(new DataFeed.Misplaced(behind.generation(), 0, 12));
    Trainer.Train there = trainer.expectMessageClass(Trainer.Train.class);
    assertThat(there.batch().startPosition()).isEqualTo(12);
    assertThat(there.generation()).isGreaterThan(behind.generation());
    assertThat(starts).containsExactly("0@8", "0@12");
  }

  private static void trained(ActorRef<DataFeed.Command> feed, TestProbe<Trainer.Command> trainer, int epoch,
      long position) {
    Trainer.Train train = trainer.expectMessageClass(Trainer.Train.class);
    feed.tell(new DataFeed.Trained(train.generation(), epoch, position));
  }

  /** The feed has handled a stream failure (and started its retry timer): it says so to the health monitor. */
  private static void awaitFailure(TestProbe<HealthMonitor.Command> health) {
    health.fishForMessage(Duration.ofSeconds(5), message -> message instanceof HealthMonitor.Heartbeat beat
        && beat.state().startsWith("stream failed")
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
  }
}
