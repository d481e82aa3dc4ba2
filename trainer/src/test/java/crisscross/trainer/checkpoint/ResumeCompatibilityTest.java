package crisscross.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeCompatibilityTest {
  @Test
  void theSameConfigurationResumes() {
    Settings settings = ConfigLoader.fromArguments(List.of("demo"), List.of());
    assertThat(ResumeCompatibility.differingKeys(settings.renderCanonical(), settings.config())).isEmpty();
  }

  @Test
  void operationalKeysMayChange() {
    Settings before = ConfigLoader.fromArguments(List.of("demo"), List.of());
    Settings after = ConfigLoader.fromArguments(List.of("demo"), List.of("trainer.max-steps=500",
        "monitor.port=9464", "checkpoint.every-steps=7", "pipeline.workers=8", "faults.trainer-crash-every=3",
        "data.root=s3://bucket/demo"));
    assertThat(ResumeCompatibility.differingKeys(before.renderCanonical(), after.config())).isEmpty();
  }

  @Test
  void keysThatChangeTheComputationAreNamedWithBothValues() {
    Settings before = ConfigLoader.fromArguments(List.of("demo"), List.of("optim.base-lr=2e-3"));
    Settings after = ConfigLoader.fromArguments(List.of("demo"), List.of("objective=sync", "optim.base-lr=1e-3",
        "run.seed=5"));
    assertThat(ResumeCompatibility.differingKeys(before.renderCanonical(), after.config()))
        .containsExactly("objective (checkpoint: crisscross, now: sync)",
            "optim.base-lr (checkpoint: 0.002, now: 0.001)", "run.seed (checkpoint: 42, now: 5)");
  }
}
