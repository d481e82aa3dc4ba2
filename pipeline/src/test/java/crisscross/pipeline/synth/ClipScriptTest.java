package crisscross.pipeline.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.random.SampleRandom;
import org.junit.jupiter.api.Test;

class ClipScriptTest {
  private static final SynthSettings SETTINGS = SynthSettings.defaults().withClips(6, 6).withSeconds(3)
      .withPicture(96, 64, 25);
  private static final ClassSignature CIRCLE = ClassSignature.all(6).get(0);

  private static ClipScript script(long seed) {
    return new ClipScript(CIRCLE, SETTINGS, SampleRandom.of(seed));
  }

  @Test
  void theSameRandomStreamGivesTheSameClip() {
    ClipScript a = script(1);
    ClipScript b = script(1);
    ClipScript c = script(2);
    byte[] frameA = new byte[96 * 64 * 3];
    byte[] frameB = new byte[96 * 64 * 3];
    byte[] frameC = new byte[96 * 64 * 3];
    a.draw(40, frameA);
    b.draw(40, frameB);
    c.draw(40, frameC);

    assertThat(frameB).isEqualTo(frameA);
    assertThat(b.sound()).isEqualTo(a.sound());
    assertThat(frameC).isNotEqualTo(frameA);
    assertThat(c.sound()).isNotEqualTo(a.sound());
  }

  @Test
  void theSoundIsLouderJustAfterEachBeatAndTheObjectBiggerThen() {
    ClipScript clip = script(3);
    float[] sound = clip.sound();
    int rate = SETTINGS.sampleRate();
    assertThat(clip.beats()).hasSizeGreaterThan(2);
    for (double beat : clip.beats()) {
      int at = (int) Math.ceil(beat * rate);
      int frameAfter = (int) Math.ceil(beat * 25);
      if (at < 400 || frameAfter < 1 || frameAfter >= clip.frameCount()) {
        continue;
      }
      assertThat(energy(sound, at, at + 400)).as("beat at %.3f s", beat)
          .isGreaterThan(2 * energy(sound, at - 400, at));
      assertThat(clip.radiusAt(frameAfter)).isGreaterThan(clip.radiusAt(frameAfter - 1));
    }
  }

  private static double energy(float[] samples, int from, int to) {
    double sum = 0;
    for (int n = Math.max(0, from); n < Math.min(samples.length, to); n++) {
      sum += samples[n] * (double) samples[n];
    }
    return sum / (to - from);
  }

  @Test
  void pulseIsOneOnTheBeatAndDecays() {
    ClipScript clip = script(4);
    double best = 0;
    double bestTime = 0;
    for (int n = 0; n < 16_000; n++) {
      double p = clip.pulse(n / 16_000.0);
      if (p > best) {
        best = p;
        bestTime = n / 16_000.0;
      }
    }
    assertThat(best).isCloseTo(1.0, within(1e-2));
    assertThat(clip.pulse(bestTime + clip.pulseDecaySeconds())).isCloseTo(Math.exp(-1), within(1e-2));
  }

  @Test
  void beatsStartAtOnceAndFadeSlowlySoAClipHasAnArrowOfTime() {
    ClipScript clip = script(4);
    double largestGrowth = 0;
    double largestShrink = 0;
    for (int frame = 1; frame < clip.frameCount(); frame++) {
      double change = clip.radiusAt(frame) - clip.radiusAt(frame - 1);
      largestGrowth = Math.max(largestGrowth, change);
      largestShrink = Math.max(largestShrink, -change);
    }
    // Played backwards the two swap: the object would shrink at once and swell slowly.
    assertThat(largestGrowth).isGreaterThan(1.5 * largestShrink);

    // Every class's beat fades over its period instead of vanishing within a frame or two: half a period after
    // a beat it is still between a fifth and two fifths as loud, and it is nearly gone before the next.
    for (ClassSignature signature : ClassSignature.all(6)) {
      ClipScript other = new ClipScript(signature, SETTINGS, SampleRandom.of(4));
      double beat = other.beats().get(0);
      double period = 1 / signature.beatHz();
      assertThat(other.pulse(beat + period / 2)).as(signature.label()).isBetween(0.2, 0.4);
      assertThat(other.pulse(beat + 0.97 * period)).as(signature.label()).isLessThan(0.1);
    }
  }

  @Test
  void theObjectStaysInsideTheFrameAndBouncesOffItsEdges() {
    ClipScript clip = new ClipScript(CIRCLE, SETTINGS.withSeconds(20), SampleRandom.of(5));
    for (int frame = 0; frame < clip.frameCount(); frame++) {
      double[] centre = clip.centreAt(frame);
      double r = clip.radiusAt(frame);
      assertThat(centre[0] - r).isGreaterThanOrEqualTo(-1e-9);
      assertThat(centre[0] + r).isLessThanOrEqualTo(96 + 1e-9);
      assertThat(centre[1] - r).isGreaterThanOrEqualTo(-1e-9);
      assertThat(centre[1] + r).isLessThanOrEqualTo(64 + 1e-9);
    }
    assertThat(clip.bounces()).isNotEmpty().allSatisfy(t -> assertThat(t).isBetween(0.0, 20.0));
  }

  @Test
  void theObjectIsPaintedInItsClassColourOverTheBackground() {
    ClipScript clip = script(6);
    byte[] rgb = new byte[96 * 64 * 3];
    clip.draw(10, rgb);
    double[] centre = clip.centreAt(10);
    int i = ((int) centre[1] * 96 + (int) centre[0]) * 3;
    float[] hsb = java.awt.Color.RGBtoHSB(rgb[i] & 0xFF, rgb[i + 1] & 0xFF, rgb[i + 2] & 0xFF, null);

    assertThat(Math.min(Math.abs(hsb[0] - CIRCLE.hue()), 1 - Math.abs(hsb[0] - CIRCLE.hue())))
        .isLessThan(0.03f);
    assertThat(hsb[1]).isGreaterThan(0.75f);
    int corner = 0;
    float[] background = java.awt.Color.RGBtoHSB(rgb[corner] & 0xFF, rgb[corner + 1] & 0xFF,
        rgb[corner + 2] & 0xFF, null);
    assertThat(background[1]).isLessThanOrEqualTo(0.51f);
  }

  @Test
  void theSoundStaysWithinFullScale() {
    for (long seed = 0; seed < 5; seed++) {
      for (float s : script(seed).sound()) {
        assertThat(s).isBetween(-1f, 1f);
      }
    }
  }
}
