package crisscross.trainer.method.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.sample.ClipCounts;
import crisscross.pipeline.sample.ClipTiming;
import crisscross.pipeline.sample.Playback;
import crisscross.pipeline.sample.PlaybackClips;
import crisscross.pipeline.sample.RelaxationMode;
import crisscross.pipeline.stream.Batch;
import crisscross.trainer.actor.TrainingEngine;
import crisscross.trainer.checkpoint.ModelSnapshot;
import crisscross.trainer.checkpoint.ParameterDigest;
import crisscross.trainer.method.Methods;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.View;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.run.ModelEngine;
import crisscross.trainer.step.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class TemporalContrastiveMethodTest {
  static final ModelSettings SMALL = new ModelSettings(new int[] {4, 8, 8, 16}, new int[] {4, 8, 8, 16}, 32, 32, 8,
      8, 16, 16, 24, DataType.FLOAT);
  static final OptimSettings OPTIM = OptimSettings.paper().withEpochs(4, 0).withLearningRates(2e-3, 0, 2e-3);
  static final List<Integer> SPEEDS = List.of(1, 2, 4, 8);
  static final int BATCH = 4;

  static TemporalContrastiveSettings settings(int queue, int nearest) {
    return new TemporalContrastiveSettings(true, true, true, true, SPEEDS, Optional.of(RelaxationMode.EXTREME), 8,
        1.0, true, 0.1, queue, nearest, true, 0, 8, OPTIM.baseLr(), OPTIM.finalLr());
  }

  static ModelEngine engine(TemporalContrastiveSettings settings, long seed) {
    return new ModelEngine(TrainingStep.create(SMALL, new TemporalContrastiveMethod(settings, 7), OPTIM, 10, seed));
  }

  /** A batch of random clips with timings as the extreme planner gives them: pairs in the two halves of 4 s. */
  static Batch batch(int index, int videoClips, int audioClips) {
    SampleRandom random = SampleRandom.of(500 + index);
    List<float[]> video = new ArrayList<>();
    List<float[]> audio = new ArrayList<>();
    for (int c = 0; c < videoClips; c++) {
      video.add(gaussian(random, BATCH * 3 * 8 * 16 * 16));
    }
    for (int c = 0; c < audioClips; c++) {
      audio.add(gaussian(random, BATCH * 16 * 24));
    }
    List<ClipTiming[]> videoTimings = new ArrayList<>();
    List<ClipTiming[]> audioTimings = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      ClipTiming[] v = new ClipTiming[BATCH];
      ClipTiming[] a = new ClipTiming[BATCH];
      for (int i = 0; i < BATCH; i++) {
        Playback p = c < 2 ? Playback.NORMAL
            : new Playback(SPEEDS.get(random.nextInt(SPEEDS.size())), random.bernoulli(0.5));
        double start = c == 1 ? 2.0 : 0.0;
        v[i] = new ClipTiming(p, start + 0.5 + 0.01 * i, 0.5 * p.speed());
        a[i] = new ClipTiming(p, start, 2.0 * (c < 2 ? 1 : Math.min(2, p.speed())));
      }
      videoTimings.add(v);
      audioTimings.add(a);
    }
    int[] indices = new int[BATCH];
    String[] ids = new String[BATCH];
    for (int i = 0; i < BATCH; i++) {
      indices[i] = (index * BATCH + i) % 24;
      ids[i] = "s" + indices[i];
    }
    return new Batch(0, (long) index * BATCH, (long) index * BATCH + BATCH, BATCH, indices, ids, video, audio,
        List.of(), false, videoTimings.subList(0, videoClips), audioTimings.subList(0, audioClips));
  }

  static float[] gaussian(SampleRandom random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }

  @Test
  void declaresTwoPairsUnderItsRelaxationAndOnePlaybackClipPerModality() {
    TemporalContrastiveMethod method = new TemporalContrastiveMethod(settings(16, 2), 7);
    assertThat(method.views()).containsExactly(View.V1, View.V2, TemporalContrastiveMethod.V3, View.A1, View.A2,
        TemporalContrastiveMethod.A3);
    assertThat(method.clips()).isEqualTo(new ClipCounts(2, 2, new PlaybackClips(1, 1, SPEEDS, true),
        Optional.of(RelaxationMode.EXTREME)));
    assertThat(method.termLabels()).containsExactly("L_nce_vv", "L_nce_va", "L_speed_v", "L_direction_v",
        "L_order_v", "L_speed_a", "L_direction_a", "L_order_a", "L_order_va", "acc_speed_v", "acc_direction_v",
        "acc_order_v", "acc_speed_a", "acc_direction_a", "acc_order_a", "acc_order_va");
    assertThat(method.variant()).isEqualTo("speed+direction+order-intra+order-inter+nce+queue+knn+tneg");
    assertThat(method.group("tc_video_speed.fc1.weight").label()).isEqualTo("video_encoder");
    assertThat(method.group("audio_backbone.stem_conv.weight").label()).isEqualTo("audio_encoder");
    assertThat(method.group("tc_inter_order.fc2.bias").label()).isEqualTo("cross_modal_head");
    assertThatThrownBy(() -> method.group("xdc_video_head.fc.weight")).hasMessageContaining("no group of");
  }

  @Test
  void isSelectableByNameAndBadOptionsAreRefusedNamingTheKey() {
    Settings s = ConfigLoader.load(List.of(), List.of("method=temporal-contrastive"));
    TemporalContrastiveMethod m = (TemporalContrastiveMethod) Methods.from(s);
    assertThat(m.settings().queueSize()).isEqualTo(4096);
    assertThat(m.settings().relaxation()).contains(RelaxationMode.EXTREME);
    Settings configured = ConfigLoader.load(List.of(), List.of("method=temporal-contrastive",
        "temporal-contrastive.relaxation=configured", "temporal-contrastive.speed-task=off",
        "temporal-contrastive.direction-task=off", "temporal-contrastive.transformed-negatives=off"));
    TemporalContrastiveMethod plain = (TemporalContrastiveMethod) Methods.from(configured);
    assertThat(plain.clips()).isEqualTo(new ClipCounts(2, 2));
    assertThat(plain.views()).containsExactly(View.V1, View.V2, View.A1, View.A2);
    assertThat(plain.termLabels()).doesNotContain("L_speed_v", "acc_direction_a");
    assertThatThrownBy(() -> Methods.from(ConfigLoader.load(List.of(), List.of("method=temporal-contrastive",
        "temporal-contrastive.queue-size=4", "temporal-contrastive.nearest-positives=5"))))
        .hasMessageContaining("temporal-contrastive.nearest-positives = 5 exceeds queue-size = 4");
    assertThatThrownBy(() -> Methods.from(ConfigLoader.load(List.of(), List.of("method=temporal-contrastive",
        "temporal-contrastive.speeds=[1,0]")))).hasMessageContaining("temporal-contrastive.speeds");
  }

  /**
   * Six steps straight against runs resumed from the snapshot after step 2 (a kill while the 16-row queues hold 8)
   * and after step 5 (the queues have wrapped): parameters, optimiser moments and queues end bit-identical.
   */
  @Test
  void aResumeWhileTheQueueFillsAndAfterItWrapsIsBitExact() {
    TemporalContrastiveSettings s = settings(16, 2);
    List<ModelSnapshot> snapshots = new ArrayList<>();
    ModelSnapshot end;
    try (ModelEngine straight = engine(s, 1)) {
      for (int step = 0; step < 6; step++) {
        TrainingEngine.StepReport report = straight.train(batch(step, 3, 3));
        assertThat(report.total()).isFinite();
        for (double t : report.terms()) {
          assertThat(t).isFinite();
        }
        snapshots.add(straight.snapshot());
      }
      end = straight.snapshot();
    }
    assertThat(end.method()).extracting(b -> b.name()).containsExactly(TemporalContrastiveMethod.PUSHED,
        "tc.queue.video", "tc.queue.audio");
    assertThat(snapshots.get(1).method().get(0).longs()).containsExactly(8);
    for (int resumeAfter : new int[] {2, 5}) {
      try (ModelEngine resumed = engine(s, 99)) {
        resumed.restore(snapshots.get(resumeAfter - 1));
        for (int step = resumeAfter; step < 6; step++) {
          resumed.train(batch(step, 3, 3));
        }
        ModelSnapshot after = resumed.snapshot();
        assertThat(ParameterDigest.sha256(after.parameters())).as("resumed after step %d", resumeAfter)
            .isEqualTo(ParameterDigest.sha256(end.parameters()));
        assertThat(after.optimiser()).isEqualTo(end.optimiser());
        assertThat(after.method()).isEqualTo(end.method());
      }
    }
  }

  /** With the contrastive objective or the playback tasks off, their terms, views and placeholders go too. */
  @Test
  void eachPartSwitchedOffTakesItsTermsViewsAndInputsWithIt() {
    TemporalContrastiveSettings pretextOnly = new TemporalContrastiveSettings(true, true, true, true, SPEEDS,
        Optional.empty(), 0, 1.0, false, 0.1, 0, 0, false, 0, 8, OPTIM.baseLr(), OPTIM.finalLr());
    try (ModelEngine engine = engine(pretextOnly, 3)) {
      assertThat(engine.termNames()).noneMatch(t -> t.contains("nce"));
      assertThat(engine.trainingStep().model().extraInputs()).noneMatch(i -> i.contains("queue")
          || i.contains("identity") || i.contains("transformed"));
      assertThat(engine.train(batch(0, 3, 3)).total()).isFinite();
      assertThat(engine.snapshot().method()).isEmpty();
    }
    TemporalContrastiveSettings contrastiveOnly = new TemporalContrastiveSettings(false, false, false, false, SPEEDS,
        Optional.empty(), 0, 1.0, true, 0.1, 8, 0, false, 0, 8, OPTIM.baseLr(), OPTIM.finalLr());
    try (ModelEngine engine = engine(contrastiveOnly, 3)) {
      assertThat(engine.termNames()).containsExactly("L_nce_vv", "L_nce_va");
      assertThat(engine.trainingStep().model().views()).containsExactly(View.V1, View.V2, View.A1);
      assertThat(engine.train(batch(0, 2, 2)).total()).isFinite();
    }
    TemporalContrastiveSettings playbackOnly = new TemporalContrastiveSettings(true, true, false, false, SPEEDS,
        Optional.empty(), 0, 1.0, false, 0.1, 0, 0, false, 0, 8, OPTIM.baseLr(), OPTIM.finalLr());
    try (ModelEngine engine = engine(playbackOnly, 3)) {
      assertThat(engine.trainingStep().model().views()).containsExactly(TemporalContrastiveMethod.V3,
          TemporalContrastiveMethod.A3);
      assertThat(engine.trainingStep().method().clips().videoClips()).isEqualTo(3);
      assertThat(engine.train(batch(0, 3, 3)).total()).isFinite();
    }
  }
}
