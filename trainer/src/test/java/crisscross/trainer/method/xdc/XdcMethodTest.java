package crisscross.trainer.method.xdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.trainer.checkpoint.ModelSnapshot;
import crisscross.trainer.checkpoint.ParameterDigest;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.MethodContext;
import crisscross.trainer.method.Methods;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.View;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.optim.ParameterGroup;
import crisscross.trainer.run.ModelEngine;
import crisscross.trainer.step.TrainingStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class XdcMethodTest {
  static final ModelSettings SMALL = new ModelSettings(new int[] {4, 8, 8, 16}, new int[] {4, 8, 8, 16}, 32, 32, 8,
      8, 16, 16, 24, DataType.FLOAT);
  static final OptimSettings OPTIM = OptimSettings.paper().withEpochs(4, 0).withLearningRates(2e-3, 0, 2e-3);
  static final int SAMPLES = 24;
  static final int BATCH = 8;

  @TempDir
  Path dir;

  static XdcSettings settings(XdcVariant variant, int k) {
    return new XdcSettings(variant, k, k, k, 1, 10, 0, OPTIM.baseLr(), OPTIM.finalLr());
  }

  static XdcMethod method(XdcVariant variant, int k, Optional<MethodContext.RunData> data) {
    return new XdcMethod(settings(variant, k), 11, data);
  }

  @Test
  void eachVariantTrainsItsEncodersOnItsTargets() {
    XdcMethod xdc = method(XdcVariant.XDC, 4, Optional.empty());
    assertThat(xdc.views()).containsExactly(View.V1, View.A1);
    assertThat(xdc.termLabels()).containsExactly("L_v_on_a", "L_a_on_v");
    assertThat(method(XdcVariant.MDC, 4, Optional.empty()).termLabels())
        .containsExactly("L_v_on_v", "L_v_on_a", "L_a_on_v", "L_a_on_a");
    assertThat(method(XdcVariant.CDC, 4, Optional.empty()).termLabels()).containsExactly("L_v_on_j", "L_a_on_j");
    XdcMethod sdc = method(XdcVariant.SDC, 4, Optional.empty());
    assertThat(sdc.views()).containsExactly(View.V1);
    assertThat(sdc.termLabels()).isEmpty();
    ParameterGroup video = xdc.group("video_backbone.stem_conv.weight");
    assertThat(xdc.group("xdc_video_head_audio.fc.weight")).isEqualTo(video);
    assertThat(xdc.group("xdc_audio_head_video.fc.bias").label()).isEqualTo("audio_encoder");
    assertThatThrownBy(() -> sdc.group("audio_backbone.conv1.weight")).hasMessageContaining("no group of sdc");
    try (TrainingStep step = TrainingStep.create(SMALL, xdc, OPTIM, 3, 1)) {
      assertThat(step.model().extraInputs()).containsExactlyInAnyOrder("xdc_labels_video", "xdc_labels_audio");
      assertThat(step.model().parameters().get("xdc_video_head_audio.fc.weight").shape()).containsExactly(4, 16);
    }
  }

  @Test
  void everyVariantIsSelectableByNameAndMoreClustersThanSamplesAreRefused() {
    LatentCorpus corpus = new LatentCorpus(SMALL, SAMPLES, 1);
    MethodContext.RunData data = new MethodContext.RunData(corpus.refs(), dir, corpus);
    for (String name : List.of("xdc", "mdc", "cdc", "sdc")) {
      Settings s = ConfigLoader.load(List.of(), List.of("method=" + name, "xdc.k-video=8", "xdc.k-audio=8",
          "xdc.k-joint=8"));
      Method m = Methods.from(new MethodContext(s, OptimSettings.from(s), Optional.of(data)));
      assertThat(m.name()).isEqualTo(name);
    }
    Settings tooMany = ConfigLoader.load(List.of(), List.of("method=xdc"));
    assertThatThrownBy(() -> Methods.from(new MethodContext(tooMany, OptimSettings.from(tooMany),
        Optional.of(data)))).hasMessageContaining("xdc.k-video = 256").hasMessageContaining("24 training samples");
  }

  /**
   * A run of three epochs (a clustering before each) against runs resumed from the checkpoint taken before the
   * second clustering (a kill during it) and from one taken right after it: parameters, optimiser state and the
   * method's labels and centres end bit-identical.
   */
  @Test
  void aResumeAcrossAClusteringRoundIsBitExact() throws Exception {
    resumeAcrossAClusteringRoundIsBitExact(settings(XdcVariant.XDC, 4), dir);
  }

  /**
   * With cluster-balanced sampling the engine chooses each epoch's samples from the epoch's pseudo-labels: every
   * video and audio label is drawn, a restored engine gives the same order without clustering again, and the next
   * epoch draws anew.
   */
  @Test
  void balancedEpochOrdersFollowFromTheCheckpointedLabels() throws Exception {
    XdcSettings balanced = settings(XdcVariant.XDC, 4).withBalancedSampling(true);
    LatentCorpus corpus = new LatentCorpus(SMALL, SAMPLES, 5);
    int[] order;
    ModelSnapshot afterRound1;
    try (ModelEngine a = engine(balanced, corpus, dir.resolve("a"))) {
      assertThat(a.trainingStep().method().choosesEpochOrder()).isTrue();
      a.prepareEpoch(0);
      order = a.epochOrder(0, 3 * SAMPLES).orElseThrow();
      afterRound1 = a.snapshot();
      a.train(corpus.batch(0, 0, BATCH));
    }
    assertThat(order).hasSize(3 * SAMPLES);
    for (String space : List.of("video", "audio")) {
      long[] labels = afterRound1.method().stream().filter(b -> b.name().equals("xdc.labels." + space)).findFirst()
          .orElseThrow().longs();
      long distinctLabels = java.util.Arrays.stream(labels).distinct().count();
      assertThat(java.util.Arrays.stream(order).mapToLong(i -> labels[i]).distinct().count())
          .as("%s labels drawn", space).isEqualTo(distinctLabels);
    }
    try (ModelEngine b = engine(balanced, corpus, dir.resolve("b"))) {
      b.restore(afterRound1);
      int extractions = corpus.extractions;
      b.prepareEpoch(0);
      assertThat(corpus.extractions).as("no clustering again").isEqualTo(extractions);
      assertThat(b.epochOrder(0, 3 * SAMPLES).orElseThrow()).isEqualTo(order);
      b.prepareEpoch(1);
      assertThat(b.epochOrder(1, 3 * SAMPLES).orElseThrow()).isNotEqualTo(order);
    }
    try (ModelEngine shuffled = engine(settings(XdcVariant.XDC, 4), corpus, dir.resolve("c"))) {
      shuffled.prepareEpoch(0);
      assertThat(shuffled.epochOrder(0, SAMPLES)).isEmpty();
    }
  }

  /** The same with the features PCA-whitened to 8 of their 16 dimensions before each k-means. */
  @Test
  void aResumeAcrossAClusteringRoundIsBitExactWithPcaWhitening() throws Exception {
    resumeAcrossAClusteringRoundIsBitExact(settings(XdcVariant.XDC, 4).withPcaWhitening(8), dir);
  }

  /**
   * pca-dim is bounded by each clustered space's width (the last conv block, 512 in the full preset; 1024 for cdc's
   * joint space), only when whitening is on; the refusal names the key.
   */
  @Test
  void pcaDimAboveTheFeatureWidthIsRefusedNamingTheKey() {
    Settings xdc = ConfigLoader.load(List.of(), List.of("method=xdc", "model.preset=full", "xdc.pca-whitening=on",
        "xdc.pca-dim=600"));
    assertThatThrownBy(() -> Methods.from(xdc)).hasMessageContaining("xdc.pca-dim")
        .hasMessageContaining("600 components of the 512-d video features").hasMessageContaining("at most 512");
    Settings cdc = ConfigLoader.load(List.of(), List.of("method=cdc", "model.preset=full", "xdc.pca-whitening=on",
        "xdc.pca-dim=600"));
    XdcSettings joint = ((XdcMethod) Methods.from(cdc)).settings();
    assertThat(joint.pcaWhitening()).isTrue();
    assertThat(joint.pcaDim()).isEqualTo(600);
    Settings off = ConfigLoader.load(List.of(), List.of("method=xdc", "model.preset=tiny", "xdc.pca-dim=600"));
    assertThat(((XdcMethod) Methods.from(off)).settings().pcaWhitening()).isFalse();
    Settings tiny = ConfigLoader.load(List.of(), List.of("method=xdc", "model.preset=tiny",
        "xdc.pca-whitening=true"));
    assertThatThrownBy(() -> Methods.from(tiny)).hasMessageContaining("xdc.pca-dim")
        .hasMessageContaining("256 components of the 128-d video features");
  }

  private static void resumeAcrossAClusteringRoundIsBitExact(XdcSettings settings, Path dir) throws Exception {
    LatentCorpus corpus = new LatentCorpus(SMALL, SAMPLES, 5);
    int steps = SAMPLES / BATCH;
    ModelSnapshot beforeRound2;
    ModelSnapshot afterRound2;
    String straight;
    List<TensorBlob> straightState;
    try (ModelEngine a = engine(settings, corpus, dir.resolve("a"))) {
      for (int s = 0; s < steps; s++) {
        a.train(corpus.batch(0, s, BATCH));
      }
      beforeRound2 = a.snapshot();
      a.train(corpus.batch(1, 0, BATCH));
      afterRound2 = a.snapshot();
      for (int s = 1; s < steps; s++) {
        a.train(corpus.batch(1, s, BATCH));
      }
      TrainingEngineReport last = new TrainingEngineReport(a.train(corpus.batch(2, 0, BATCH)));
      assertThat(last.report().diagnostics()).containsEntry("xdc_round", 3.0)
          .containsKeys("xdc_nmi_previous_round_video", "xdc_cluster_size_max_audio");
      assertThat(last.report().diagnostics().get("xdc_cluster_size_max_video")).isPositive();
      straight = digest(a.snapshot());
      straightState = a.snapshot().method();
    }
    TensorBlob centres = straightState.stream().filter(b -> b.name().equals("xdc.centres.video")).findFirst()
        .orElseThrow();
    assertThat(centres.shape()).containsExactly(4, settings.pcaWhitening() ? settings.pcaDim() : 16);
    try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(dir.resolve("a"))) {
      assertThat(left).as("feature files left in the work directory").isEmpty();
    }
    assertThat(round(afterRound2)).isEqualTo(2);
    assertThat(round(beforeRound2)).isEqualTo(1);
    assertThat(straightState.get(0).longs()).containsExactly(3, 2);
    try (ModelEngine b = engine(settings, corpus, dir.resolve("b"))) {
      b.restore(beforeRound2);
      for (int s = 0; s < steps; s++) {
        b.train(corpus.batch(1, s, BATCH));
      }
      b.train(corpus.batch(2, 0, BATCH));
      assertThat(digest(b.snapshot())).isEqualTo(straight);
      assertThat(b.snapshot().method()).isEqualTo(straightState);
    }
    int extractionsBefore = corpus.extractions;
    try (ModelEngine c = engine(settings, corpus, dir.resolve("c"))) {
      c.restore(afterRound2);
      for (int s = 1; s < steps; s++) {
        c.train(corpus.batch(1, s, BATCH));
      }
      // Resumed inside epoch 1, whose clustering is in the checkpoint: no clustering until epoch 2.
      assertThat(corpus.extractions).isEqualTo(extractionsBefore);
      c.train(corpus.batch(2, 0, BATCH));
      assertThat(digest(c.snapshot())).isEqualTo(straight);
      assertThat(c.snapshot().method()).isEqualTo(straightState);
    }
  }

  private record TrainingEngineReport(crisscross.trainer.actor.TrainingEngine.StepReport report) {}

  private static ModelEngine engine(XdcSettings settings, LatentCorpus corpus, Path work) {
    XdcMethod xdc = new XdcMethod(settings, 11, Optional.of(new MethodContext.RunData(corpus.refs(), work, corpus)));
    return new ModelEngine(TrainingStep.create(SMALL, xdc, OPTIM, SAMPLES / BATCH, 3));
  }

  private static String digest(ModelSnapshot snapshot) {
    List<TensorBlob> all = new java.util.ArrayList<>(snapshot.parameters());
    all.addAll(snapshot.buffers());
    all.addAll(snapshot.optimiser());
    return ParameterDigest.sha256(all);
  }

  private static long round(ModelSnapshot snapshot) {
    return snapshot.method().stream().filter(b -> b.name().equals(XdcMethod.ROUND)).findFirst().orElseThrow()
        .longs()[0];
  }
}
