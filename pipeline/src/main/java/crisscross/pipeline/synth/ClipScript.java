package crisscross.pipeline.synth;

import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything about one synthetic clip: its class's signature plus the nuisances drawn for it (background, exact
 * colour, size, start position, speed and direction jitter, pitch jitter, beat phase, volume, noise). Pure: the
 * pictures and the sound are functions of the script alone.
 *
 * <p>Sound and picture share events: the object swells on every beat exactly when the tone's loudness peaks, and
 * each bounce off an edge of the frame makes a click, as does every beat. Beats start abruptly and fade slowly, so
 * a clip played backwards looks and sounds different from one played forwards. Volume, noise and background colour
 * vary independently of the class, so the average loudness or colour of a clip says little about its class.
 */
public final class ClipScript {
  /**
   * Decay time of a beat's loudness and of the object's swelling, as a fraction of the beat's period. Each beat
   * starts at once and fades over most of the period (to e^-2.5 by the next beat), so picture and sound have an
   * arrow of time: played backwards, every beat swells slowly and stops dead, as a struck sound does reversed.
   */
  static final double PULSE_DECAY_PERIODS = 0.4;
  /** How much the object's radius grows at the peak of a beat. */
  static final double PULSE_GROWTH = 0.5;
  /** The tone's loudness between beats, as a fraction of its loudness on a beat (26 dB below it). */
  static final double BEAT_FLOOR = 0.05;
  private static final double CLICK_DECAY = 0.008;
  private static final double CLICK_LENGTH = 0.04;

  private final ClassSignature signature;
  private final SynthSettings settings;
  private final float[] top;
  private final float[] bottom;
  private final float[] colour;
  private final double radius;
  private final double pitchHz;
  private final double beatHz;
  private final double beatPhase;
  private final double volume;
  private final double noise;
  private final double[] harmonicPhases;
  private final double[] xs;
  private final double[] ys;
  private final List<Double> bounces = new ArrayList<>();
  private final long noiseSeed;

  /** Draws the nuisances of a clip of class {@code signature} from {@code random}. */
  public ClipScript(ClassSignature signature, SynthSettings settings, SampleRandom random) {
    this.signature = signature;
    this.settings = settings;
    SampleRandom look = random.fork("look");
    this.top = hsv(look.nextDouble(), look.uniform(0, 0.5), look.uniform(0.15, 0.95));
    this.bottom = hsv(look.nextDouble(), look.uniform(0, 0.5), look.uniform(0.15, 0.95));
    this.colour = hsv(signature.hue() + look.uniform(-0.02, 0.02), look.uniform(0.8, 1.0), look.uniform(0.7, 1.0));
    this.radius = settings.height() * look.uniform(0.1, 0.17);

    SampleRandom sound = random.fork("sound");
    double jitter = Math.min(1.0, ClassSignature.pitchSpacingSemitones(settings.classes()) / 4);
    this.pitchHz = signature.pitchHz() * Math.pow(2, sound.uniform(-jitter, jitter) / 12);
    this.beatHz = signature.beatHz() * sound.uniform(0.95, 1.05);
    this.beatPhase = sound.uniform(0, 1 / beatHz);
    this.volume = sound.uniform(0.15, 0.9);
    this.noise = sound.uniform(0.002, 0.06);
    this.harmonicPhases = new double[signature.harmonics()];
    for (int h = 0; h < harmonicPhases.length; h++) {
      harmonicPhases[h] = sound.uniform(0, 2 * Math.PI);
    }
    this.noiseSeed = sound.nextLong();

    SampleRandom motion = random.fork("motion");
    int frames = frameCount();
    this.xs = new double[frames];
    this.ys = new double[frames];
    simulate(motion);
  }

  public ClassSignature signature() {
    return signature;
  }

  public int frameCount() {
    return (int) Math.round(settings.seconds() * settings.fps());
  }

  public int sampleCount() {
    return (int) Math.round(settings.seconds() * settings.sampleRate());
  }

  /** Times (s) at which the object hits an edge of the frame. */
  public List<Double> bounces() {
    return List.copyOf(bounces);
  }

  /** The tone's pitch in this clip (the class's, jittered by less than a quarter of the gap to the next class). */
  public double pitchHz() {
    return pitchHz;
  }

  public double volume() {
    return volume;
  }

  /** Times (s) of the beats within the clip: the tone is loudest and the object largest just after each. */
  public List<Double> beats() {
    List<Double> times = new ArrayList<>();
    for (double t = beatPhase; t < settings.seconds(); t += 1 / beatHz) {
      times.add(t);
    }
    return times;
  }

  /** Loudness envelope of the beats in [0, 1]: 1 on each beat, decaying until the next. */
  public double pulse(double seconds) {
    double period = 1 / beatHz;
    double sinceStart = seconds - beatPhase;
    double sinceBeat = sinceStart - Math.floor(sinceStart / period) * period;
    return Math.exp(-sinceBeat / pulseDecaySeconds());
  }

  /** Time constant of each beat's decay, in seconds. */
  public double pulseDecaySeconds() {
    return PULSE_DECAY_PERIODS / beatHz;
  }

  /** The object's radius in frame {@code frame}: it swells on every beat. */
  public double radiusAt(int frame) {
    return radius * (1 + PULSE_GROWTH * pulse(frame / (double) settings.fps()));
  }

  /** The object's centre in frame {@code frame}, in pixels. */
  public double[] centreAt(int frame) {
    return new double[] {xs[frame], ys[frame]};
  }

  private void simulate(SampleRandom random) {
    int width = settings.width();
    int height = settings.height();
    double margin = radius * (1 + PULSE_GROWTH);
    double x = random.uniform(margin, width - margin);
    double y = random.uniform(margin, height - margin);
    double angle = signature.direction() + random.uniform(-0.35, 0.35);
    double speed = signature.speed() * width * random.uniform(0.8, 1.25);
    double vx = speed * Math.cos(angle);
    double vy = speed * Math.sin(angle);
    int steps = 16;
    double dt = 1.0 / (settings.fps() * steps);
    for (int frame = 0; frame < xs.length; frame++) {
      xs[frame] = x;
      ys[frame] = y;
      for (int s = 0; s < steps; s++) {
        double t = (frame * steps + s + 1) * dt;
        x += vx * dt;
        y += vy * dt;
        if (x < margin || x > width - margin) {
          vx = -vx;
          x = Math.max(margin, Math.min(width - margin, x));
          bounces.add(t);
        }
        if (y < margin || y > height - margin) {
          vy = -vy;
          y = Math.max(margin, Math.min(height - margin, y));
          bounces.add(t);
        }
      }
    }
  }

  /** Paints frame {@code frame} as {@code height x width x 3} bytes of RGB. */
  public void draw(int frame, byte[] rgb) {
    int width = settings.width();
    int height = settings.height();
    for (int y = 0; y < height; y++) {
      float mix = height == 1 ? 0 : y / (float) (height - 1);
      byte r = toByte(top[0] + (bottom[0] - top[0]) * mix);
      byte g = toByte(top[1] + (bottom[1] - top[1]) * mix);
      byte b = toByte(top[2] + (bottom[2] - top[2]) * mix);
      for (int x = 0, i = y * width * 3; x < width; x++, i += 3) {
        rgb[i] = r;
        rgb[i + 1] = g;
        rgb[i + 2] = b;
      }
    }
    double cx = xs[frame];
    double cy = ys[frame];
    double r = radiusAt(frame);
    int x0 = Math.max(0, (int) Math.floor(cx - r - 1));
    int x1 = Math.min(width - 1, (int) Math.ceil(cx + r + 1));
    int y0 = Math.max(0, (int) Math.floor(cy - r - 1));
    int y1 = Math.min(height - 1, (int) Math.ceil(cy + r + 1));
    byte cr = toByte(colour[0]);
    byte cg = toByte(colour[1]);
    byte cb = toByte(colour[2]);
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        if (signature.shape().contains(x + 0.5 - cx, y + 0.5 - cy, r)) {
          int i = (y * width + x) * 3;
          rgb[i] = cr;
          rgb[i + 1] = cg;
          rgb[i + 2] = cb;
        }
      }
    }
  }

  /** The whole sound track, mono, in [-1, 1]. */
  public float[] sound() {
    int rate = settings.sampleRate();
    float[] samples = new float[sampleCount()];
    double norm = 0;
    for (int h = 1; h <= signature.harmonics(); h++) {
      norm += 1.0 / h;
    }
    SampleRandom hiss = SampleRandom.of(noiseSeed);
    for (int n = 0; n < samples.length; n++) {
      double t = n / (double) rate;
      double tone = 0;
      for (int h = 1; h <= signature.harmonics(); h++) {
        if (h * pitchHz < 0.45 * rate) {
          tone += Math.sin(2 * Math.PI * h * pitchHz * t + harmonicPhases[h - 1]) / h;
        }
      }
      double loudness = volume * (BEAT_FLOOR + (1 - BEAT_FLOOR) * pulse(t));
      samples[n] = (float) (loudness * tone / norm + noise * hiss.nextGaussian());
    }
    // A click at every bounce, and one at every beat: the beat is struck, then its tone fades.
    List<Double> clicks = new ArrayList<>(bounces);
    clicks.addAll(beats());
    for (double click : clicks) {
      int first = (int) Math.ceil(click * rate);
      int last = Math.min(samples.length, (int) ((click + CLICK_LENGTH) * rate));
      for (int n = Math.max(0, first); n < last; n++) {
        double since = n / (double) rate - click;
        samples[n] += (float) (0.5 * volume * Math.exp(-since / CLICK_DECAY) * hiss.nextGaussian());
      }
    }
    for (int n = 0; n < samples.length; n++) {
      samples[n] = Math.max(-1f, Math.min(1f, samples[n]));
    }
    return samples;
  }

  private static byte toByte(float unit) {
    return (byte) Math.round(Math.max(0f, Math.min(1f, unit)) * 255);
  }

  /** RGB in [0, 1] of a colour given as hue (turns), saturation and value. */
  static float[] hsv(double hue, double saturation, double value) {
    double h = (hue - Math.floor(hue)) * 6;
    int sector = (int) h;
    double f = h - sector;
    double p = value * (1 - saturation);
    double q = value * (1 - saturation * f);
    double t = value * (1 - saturation * (1 - f));
    double[] rgb = switch (sector) {
      case 0 -> new double[] {value, t, p};
      case 1 -> new double[] {q, value, p};
      case 2 -> new double[] {p, value, t};
      case 3 -> new double[] {p, q, value};
      case 4 -> new double[] {t, p, value};
      default -> new double[] {value, p, q};
    };
    return new float[] {(float) rgb[0], (float) rgb[1], (float) rgb[2]};
  }
}
