package crisscross.pipeline.sample;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.random.SampleRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The temporal pretext clips the view planner cuts besides the pairs: their labels are what they really are. */
class PlaybackClipsPlanTest {
  private static final SamplingSettings PAPER = SamplingSettings.paperDefaults();
  private static final List<Integer> SPEEDS = List.of(1, 2, 4, 8);
  private static final ClipCounts TEMPORAL = new ClipCounts(2, 2, new PlaybackClips(1, 1, SPEEDS, true),
      Optional.empty());

  private static ViewPlan plan(SamplingSettings settings, ClipCounts clips, double seconds, long seed) {
    return (ViewPlan) new ViewSampler(settings).plan(seconds, clips, SampleRandom.of(seed));
  }

  @Test
  void aFourTimesClipSkipsFourFramesAndCoversFourTimesTheAudio() {
    ViewPlan plan = null;
    for (long seed = 0; plan == null; seed++) {
      ViewPlan p = plan(PAPER, TEMPORAL, 30.0, seed);
      if (p.videoPlayback(3).equals(new Playback(4, false)) && p.audioPlayback(3).speed() == 4) {
        plan = p;
      }
    }
    VideoFrames window = indexedFrames(plan.videoFrameCount());
    VideoFrames clip = plan.videoView(window, 3);
    int first = plan.videoViewStart(3) - plan.videoStartFrame();
    for (int i = 0; i < 8; i++) {
      assertThat(clip.rgb()[i * clip.frameSize()]).isEqualTo(first + 4 * i);
    }
    ClipTiming video = plan.videoTiming(3, 16);
    assertThat(video.playback()).isEqualTo(new Playback(4, false));
    assertThat(video.spanSeconds()).isEqualTo((7 * 4 + 1) / 16.0);
    ClipTiming audio = plan.audioTiming(3, 16_000);
    assertThat(audio.spanSeconds()).isEqualTo(4 * 2.0);
    AudioSamples audioWindow = new AudioSamples(new float[plan.audioSampleCount()], 16_000,
        plan.audioStartSample() / 16_000.0);
    assertThat(plan.audioView(audioWindow, 3).samples()).hasSize(32_000);
    // The pairs' clips play as recorded.
    assertThat(plan.videoTiming(1, 16).playback()).isEqualTo(Playback.NORMAL);
    assertThat(plan.audioTiming(2, 16_000).spanSeconds()).isEqualTo(2.0);
  }

  @Test
  void aReversedClipIsLabelledReversedAndPlaysBackwards() {
    ViewPlan plan = null;
    for (long seed = 0; plan == null; seed++) {
      ViewPlan p = plan(PAPER, TEMPORAL, 30.0, seed);
      if (p.videoPlayback(3).equals(new Playback(1, true))) {
        plan = p;
      }
    }
    VideoFrames clip = plan.videoView(indexedFrames(plan.videoFrameCount()), 3);
    int first = plan.videoViewStart(3) - plan.videoStartFrame();
    for (int i = 0; i < 8; i++) {
      assertThat(clip.rgb()[i * clip.frameSize()]).isEqualTo(first + 7 - i);
    }
    assertThat(plan.videoTiming(3, 16).playback().reversed()).isTrue();
  }

  @Test
  void everySpeedAndDirectionIsDrawnAndEveryClipLiesInsideTheSource() {
    Set<Playback> seen = new HashSet<>();
    for (long seed = 0; seed < 400; seed++) {
      ViewPlan plan = plan(PAPER, TEMPORAL, 30.0, seed);
      seen.add(plan.videoPlayback(3));
      seen.add(plan.audioPlayback(3));
      for (int clip = 1; clip <= 3; clip++) {
        assertThat(plan.videoTiming(clip, 16).endSeconds()).isLessThanOrEqualTo(30.0);
        assertThat(plan.audioTiming(clip, 16_000).endSeconds()).isLessThanOrEqualTo(30.0);
      }
    }
    for (int speed : SPEEDS) {
      assertThat(seen).contains(new Playback(speed, false), new Playback(speed, true));
    }
  }

  @Test
  void aShortClipFallsBackToTheFastestSpeedThatFitsAndSaysSo() {
    // 4 s: video at 8x spans 57 frames of 64 and fits; audio at 4x or 8x (8 s, 16 s) does not, 2x (4 s) does.
    Set<Integer> audioSpeeds = new HashSet<>();
    boolean videoEight = false;
    for (long seed = 0; seed < 300; seed++) {
      ViewPlan plan = plan(PAPER, TEMPORAL, 4.0, seed);
      ClipTiming audio = plan.audioTiming(3, 16_000);
      audioSpeeds.add(audio.playback().speed());
      assertThat(audio.spanSeconds()).isEqualTo(2.0 * audio.playback().speed());
      assertThat(audio.endSeconds()).isLessThanOrEqualTo(4.0);
      videoEight |= plan.videoPlayback(3).speed() == 8;
    }
    assertThat(audioSpeeds).containsExactlyInAnyOrder(1, 2);
    assertThat(videoEight).isTrue();
    // 3 s (the mild pairs need 3 s) = 48 frames: 8x (57 frames) never fits, 4x (29) does.
    for (long seed = 0; seed < 300; seed++) {
      ViewPlan plan = plan(PAPER, TEMPORAL, 3.0, seed);
      assertThat(plan.videoPlayback(3).speed()).isLessThanOrEqualTo(4);
      assertThat(plan.videoTiming(3, 16).endSeconds()).isLessThanOrEqualTo(3.0);
    }
  }

  @Test
  void playbackClipsLeaveThePairsWhereTheyWere() {
    for (long seed = 0; seed < 200; seed++) {
      ViewPlan pairs = plan(PAPER, ClipCounts.PAIR_OF_EACH, 10.0, seed);
      ViewPlan temporal = plan(PAPER, TEMPORAL, 10.0, seed);
      for (int clip = 1; clip <= 2; clip++) {
        assertThat(temporal.videoViewStart(clip)).isEqualTo(pairs.videoViewStart(clip));
        assertThat(temporal.audioViewStart(clip)).isEqualTo(pairs.audioViewStart(clip));
      }
      assertThat(temporal.videoClips()).isEqualTo(3);
      assertThat(temporal.audioClipsUsed(2)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void aMethodMayPlaceItsPairsUnderItsOwnRelaxation() {
    ClipCounts extreme = new ClipCounts(2, 2, PlaybackClips.NONE, Optional.of(RelaxationMode.EXTREME));
    for (long seed = 0; seed < 200; seed++) {
      ViewPlan plan = plan(PAPER, extreme, 10.0, seed);
      assertThat(plan.mode()).isEqualTo(RelaxationMode.EXTREME);
      ClipTiming v1 = plan.videoTiming(1, 16);
      ClipTiming v2 = plan.videoTiming(2, 16);
      ClipTiming a1 = plan.audioTiming(1, 16_000);
      ClipTiming a2 = plan.audioTiming(2, 16_000);
      assertThat(a1.endsBefore(a2)).isTrue();
      assertThat(v1.endsBefore(v2)).isTrue();
      assertThat(v1.endsBefore(a2)).isTrue();
      assertThat(a1.endsBefore(v2)).isTrue();
    }
    assertThat(new ViewSampler(PAPER).refusal(extreme)).isEmpty();
  }

  /** Frames whose every value is the frame's index. */
  private static VideoFrames indexedFrames(int frames) {
    int size = 3 * 4 * 4;
    float[] rgb = new float[frames * size];
    double[] timestamps = new double[frames];
    for (int f = 0; f < frames; f++) {
      java.util.Arrays.fill(rgb, f * size, (f + 1) * size, f);
      timestamps[f] = f / 16.0;
    }
    return new VideoFrames(frames, 4, 4, rgb, timestamps);
  }
}
