package crisscross.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsCarryThePapersValues() {
    Settings settings = ConfigLoader.load(List.of(), List.of());
    assertThat(settings.integer("sampling.video-fps", 1, 120)).isEqualTo(16);
    assertThat(settings.integer("audio.mel-bands", 1, 512)).isEqualTo(80);
    assertThat(settings.real("optim.predictor-lr", 0, 1)).isEqualTo(2e-3);
    assertThat(settings.string("method")).isEqualTo("crisscross");
    assertThat(settings.string("crisscross.loss")).isEqualTo("crisscross");
    assertThat(settings.config().hasPath("objective")).isFalse();
  }

  @Test
  void laterLayersWinAndOverridesWinOverFiles() throws Exception {
    Path file = dir.resolve("mine.conf");
    Files.writeString(file, "pipeline.batch-size = 64\ncrisscross.loss = sync\n");
    Settings settings = ConfigLoader.fromArguments(List.of(file.toString()), List.of("crisscross.loss=a1a2"));
    assertThat(settings.integer("pipeline.batch-size", 1, 65536)).isEqualTo(64);
    assertThat(settings.string("crisscross.loss")).isEqualTo("a1a2");
  }

  /** The key of earlier versions, in a file or on the command line, is read as today's keys. */
  @Test
  void theLegacyObjectiveKeyBecomesMethodAndLoss() throws Exception {
    Path file = dir.resolve("old.conf");
    Files.writeString(file, "objective = sync\n");
    Settings fromFile = ConfigLoader.fromArguments(List.of(file.toString()), List.of());
    assertThat(fromFile.string("method")).isEqualTo("crisscross");
    assertThat(fromFile.string("crisscross.loss")).isEqualTo("sync");
    Settings overridden = ConfigLoader.fromArguments(List.of(file.toString()), List.of("objective=a1a2"));
    assertThat(overridden.string("crisscross.loss")).isEqualTo("a1a2");
    assertThat(overridden.config().hasPath("objective")).isFalse();
    Files.writeString(file, "method = other\nobjective = sync\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.fromArguments(List.of(file.toString()),
        List.of())).hasMessageContaining("crisscross.loss").hasMessageContaining("method = other");
  }

  @Test
  void namedConfigurationsShipWithTheBuildAndAreValid() {
    for (String name : List.of("demo", "kinetics-sound", "kinetics400", "audioset")) {
      Settings settings = ConfigLoader.fromArguments(List.of(name), List.of());
      assertThat(settings.choice("model.preset", Set.of("tiny", "full"))).isNotEmpty();
    }
    assertThat(ConfigLoader.fromArguments(List.of("config/demo.conf"), List.of()).string("model.preset"))
        .isEqualTo("tiny");
  }

  @Test
  void unknownKeyInAFileIsRefusedNamingKeyAndFile() throws Exception {
    Path file = dir.resolve("typo.conf");
    Files.writeString(file, "pipeline {\n  batch-sise = 64\n}\n");
    assertThatThrownBy(() -> ConfigLoader.fromArguments(List.of(file.toString()), List.of()))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("pipeline.batch-sise")
        .hasMessageContaining("typo.conf")
        .hasMessageContaining("line 2")
        .hasMessageContaining("did you mean 'pipeline.batch-size'");
  }

  @Test
  void unknownKeyInAnOverrideIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.fromArguments(List.of(), List.of("model.presett=tiny")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("model.presett")
        .hasMessageContaining("--set");
  }

  @Test
  void wrongTypeNamesKeyAndOrigin() {
    Settings settings = ConfigLoader.fromArguments(List.of(), List.of("pipeline.batch-size=many"));
    assertThatThrownBy(() -> settings.integer("pipeline.batch-size", 1, 65536))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("pipeline.batch-size")
        .hasMessageContaining("--set pipeline.batch-size=many");
  }

  @Test
  void outOfRangeNamesKeyFileAndRange() throws Exception {
    Path file = dir.resolve("zero.conf");
    Files.writeString(file, "pipeline.batch-size = 0\n");
    Settings settings = ConfigLoader.fromArguments(List.of(file.toString()), List.of());
    assertThatThrownBy(() -> settings.integer("pipeline.batch-size", 1, 65536))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("pipeline.batch-size")
        .hasMessageContaining("zero.conf")
        .hasMessageContaining("[1, 65536]")
        .hasMessageContaining("got 0");
  }

  @Test
  void s3UriOverrideIsTakenVerbatim() {
    Settings settings = ConfigLoader.fromArguments(List.of(), List.of("data.root=s3://bucket/some/prefix"));
    assertThat(settings.string("data.root")).isEqualTo("s3://bucket/some/prefix");
  }

  @Test
  void choiceRefusesValuesOutsideTheSet() {
    Settings settings = ConfigLoader.fromArguments(List.of(), List.of("sampling.relaxation=wild"));
    assertThatThrownBy(() -> settings.choice("sampling.relaxation", Set.of("none", "mild")))
        .hasMessageContaining("sampling.relaxation").hasMessageContaining("wild");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.fromArguments(List.of("nope/absent.conf"), List.of()))
        .isInstanceOf(ConfigError.class).hasMessageContaining("nope/absent.conf");
  }

  @Test
  void secretsNeverReachRenderingsOrTheHash() {
    Settings a = ConfigLoader.fromArguments(List.of(), List.of("data.s3.secret-access-key=hunter2",
        "monitor.token=t0k3n"));
    Settings b = ConfigLoader.fromArguments(List.of(), List.of("data.s3.secret-access-key=other",
        "monitor.token=else"));
    assertThat(a.renderCanonical()).doesNotContain("hunter2").doesNotContain("t0k3n").contains("<redacted>");
    assertThat(a.renderReadable()).doesNotContain("hunter2").doesNotContain("t0k3n");
    assertThat(a.hash()).isEqualTo(b.hash());
    assertThat(a.string("data.s3.secret-access-key")).isEqualTo("hunter2");
  }

  @Test
  void hashIsStableAndChangesWithValues() {
    Settings a = ConfigLoader.fromArguments(List.of(), List.of());
    Settings b = ConfigLoader.fromArguments(List.of(), List.of());
    Settings c = ConfigLoader.fromArguments(List.of(), List.of("run.seed=7"));
    assertThat(a.hash()).isEqualTo(b.hash()).isNotEqualTo(c.hash());
  }
}
