package crisscross.trainer.model;

import crisscross.pipeline.audio.AudioSettings;
import crisscross.pipeline.augment.VideoAugmentSettings;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.sample.SamplingSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Widths and input shapes of the CrissCross networks.
 *
 * @param videoChannels channels of the video stem and of layer1..layer4 (Table S5: 64/128/256/512)
 * @param audioChannels channels of the audio stem and of layer1..layer4 (Table S6: 64/128/256/512)
 * @param projectorHidden width of the projector's first two layers (Table S7: 2048)
 * @param projectorOut width of the projector output z and of the predictor output p (Tables S7-S8: 2048)
 * @param predictorHidden width of the predictor's bottleneck (Table S8: 512)
 * @param framesPerView frames T of a video view (§4.1: 8)
 * @param cropSize side H = W of a video view (§4.1: 112)
 * @param melBands mel bands F of an audio view (§4.1: 80)
 * @param audioFrames spectrogram frames of an audio view (§4.1: 200, 2 s at a 10 ms hop)
 * @param dataType FLOAT for training, DOUBLE for comparisons with the float64 reference
 */
public record ModelSettings(int[] videoChannels, int[] audioChannels, int projectorHidden, int projectorOut,
    int predictorHidden, int framesPerView, int cropSize, int melBands, int audioFrames, DataType dataType) {

  public ModelSettings {
    check(videoChannels.length == 4 && audioChannels.length == 4, "four backbone widths per modality");
    for (int c : videoChannels) {
      check(c > 0, "positive video widths");
    }
    for (int c : audioChannels) {
      check(c > 0, "positive audio widths");
    }
    check(projectorHidden > 0 && projectorOut > 0 && predictorHidden > 0, "positive head widths");
    check(framesPerView > 0 && cropSize > 0 && melBands > 0 && audioFrames > 0, "positive input sizes");
    check(dataType == DataType.FLOAT || dataType == DataType.DOUBLE, "float32 or float64");
    videoChannels = videoChannels.clone();
    audioChannels = audioChannels.clone();
  }

  /** Reads {@code model.preset}, {@code model.presets.<preset>.*}, {@code model.dtype} and the input shape keys. */
  public static ModelSettings from(Settings settings) {
    String preset = preset(settings);
    String base = "model.presets." + preset + ".";
    return new ModelSettings(
        widths(settings, base + "video-channels"),
        widths(settings, base + "audio-channels"),
        settings.integer(base + "projector-hidden", 1, 1 << 16),
        settings.integer(base + "projector-out", 1, 1 << 16),
        settings.integer(base + "predictor-hidden", 1, 1 << 16),
        SamplingSettings.framesPerView(settings),
        VideoAugmentSettings.cropSize(settings),
        AudioSettings.melBands(settings),
        AudioSettings.outputFrames(settings),
        settings.choice("model.dtype", Set.of("float32", "float64")).equals("float64")
            ? DataType.DOUBLE : DataType.FLOAT);
  }

  /** {@code model.preset}: {@code tiny} or {@code full}, parsed here only. */
  public static String preset(Settings settings) {
    return settings.choice("model.preset", Set.of("tiny", "full"));
  }

  /** The paper's networks (Tables S5-S8) on the paper's inputs: 8x112x112 clips, 80x200 spectrograms. */
  public static ModelSettings full() {
    return new ModelSettings(new int[] {64, 128, 256, 512}, new int[] {64, 128, 256, 512}, 2048, 2048, 512,
        8, 112, 80, 200, DataType.FLOAT);
  }

  /** The {@code tiny} preset (16/32/64/128 channels, 256-wide heads) on the paper's inputs. */
  public static ModelSettings tiny() {
    return new ModelSettings(new int[] {16, 32, 64, 128}, new int[] {16, 32, 64, 128}, 256, 256, 64,
        8, 112, 80, 200, DataType.FLOAT);
  }

  public ModelSettings withInputs(int frames, int crop, int mel, int audioFrames) {
    return new ModelSettings(videoChannels, audioChannels, projectorHidden, projectorOut, predictorHidden,
        frames, crop, mel, audioFrames, dataType);
  }

  public ModelSettings withDataType(DataType type) {
    return new ModelSettings(videoChannels, audioChannels, projectorHidden, projectorOut, predictorHidden,
        framesPerView, cropSize, melBands, audioFrames, type);
  }

  @Override
  public int[] videoChannels() {
    return videoChannels.clone();
  }

  @Override
  public int[] audioChannels() {
    return audioChannels.clone();
  }

  public int[] channels(Modality modality) {
    return modality == Modality.VIDEO ? videoChannels() : audioChannels();
  }

  /** Shape of one view without the batch: [3, T, H, W] for video, [1, F, T] for audio. */
  public long[] viewShape(Modality modality) {
    return modality == Modality.VIDEO
        ? new long[] {3, framesPerView, cropSize, cropSize}
        : new long[] {1, melBands, audioFrames};
  }

  /** Number of values in one sample of one view. */
  public int viewSize(Modality modality) {
    long n = 1;
    for (long d : viewShape(modality)) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSettings s && Arrays.equals(videoChannels, s.videoChannels)
        && Arrays.equals(audioChannels, s.audioChannels) && projectorHidden == s.projectorHidden
        && projectorOut == s.projectorOut && predictorHidden == s.predictorHidden
        && framesPerView == s.framesPerView && cropSize == s.cropSize && melBands == s.melBands
        && audioFrames == s.audioFrames && dataType == s.dataType;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new int[] {Arrays.hashCode(videoChannels), Arrays.hashCode(audioChannels),
        projectorHidden, projectorOut, predictorHidden, framesPerView, cropSize, melBands, audioFrames,
        dataType.ordinal()});
  }

  @Override
  public String toString() {
    return "ModelSettings[video " + Arrays.toString(videoChannels) + ", audio " + Arrays.toString(audioChannels)
        + ", projector " + projectorHidden + "/" + projectorOut + ", predictor " + predictorHidden + ", video "
        + framesPerView + "x" + cropSize + "x" + cropSize + ", audio " + melBands + "x" + audioFrames + ", "
        + dataType + "]";
  }

  private static int[] widths(Settings settings, String key) {
    List<Integer> values = settings.integers(key, 1, 1 << 14);
    if (values.size() != 4) {
      throw settings.invalid(key, "must list four widths (stem/layer1, layer2, layer3, layer4), got " + values);
    }
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("model settings need " + what);
    }
  }
}
