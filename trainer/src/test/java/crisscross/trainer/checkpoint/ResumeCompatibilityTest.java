package crisscross.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.trainer.host.NativeKernels;
import crisscross.trainer.method.Methods;
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
        .containsExactly("crisscross.loss (checkpoint: crisscross, now: sync)",
            "optim.base-lr (checkpoint: 0.002, now: 0.001)", "run.seed (checkpoint: 42, now: 5)");
  }

  /**
   * A checkpoint written before methods were plug-ins stores {@code objective = <row>} and none of the keys added
   * since: it resumes under the configuration that says the same in today's keys, and not under another row.
   */
  @Test
  void aCheckpointThatSaysObjectiveResumesUnderTodaysKeys() {
    Settings now = ConfigLoader.fromArguments(List.of("demo"), List.of("crisscross.loss=sync"));
    Config old = now.config().withoutPath("method").withoutPath("crisscross").withoutPath("xdc")
        .withoutPath("trainer.step-timeout").withValue("objective", ConfigValueFactory.fromAnyRef("sync"));
    String stored = old.root().render(ConfigRenderOptions.concise());
    // The demo sets XDC's options, which the old checkpoint never had: they do not concern a CrissCross run.
    assertThat(ResumeCompatibility.differingKeys(stored, now.config())).anyMatch(k -> k.startsWith("xdc.k-video"));
    assertThat(ResumeCompatibility.differingKeys(stored, now.config(), Methods.otherBlocks("crisscross"))).isEmpty();
    Settings other = ConfigLoader.fromArguments(List.of("demo"), List.of("method=crisscross",
        "crisscross.loss=async"));
    assertThat(ResumeCompatibility.differingKeys(stored, other.config(), Methods.otherBlocks("crisscross")))
        .containsExactly("crisscross.loss (checkpoint: sync, now: async)");
    Settings xdc = ConfigLoader.fromArguments(List.of("demo"), List.of("method=xdc"));
    assertThat(ResumeCompatibility.differingKeys(stored, xdc.config(), Methods.otherBlocks("xdc")))
        .anyMatch(k -> k.startsWith("method (checkpoint: crisscross, now: xdc)"));
  }

  @Test
  void aResumeOnOtherKernelsIsOneWarningAndOnTheSameBitsNone() {
    NativeKernels avx512 = new NativeKernels("nd4j-native 1.0.0-M2.1 linux-x86_64-onednn-avx2", "AMD EPYC",
        "avx512_core_bf16", "", "", 2);
    NativeKernels pinned = new NativeKernels(avx512.build(), "AMD EPYC", "avx512_core_bf16", "avx2", "", 2);
    NativeKernels haswell = new NativeKernels(avx512.build(), "Intel Xeon E5-2680 v3", "avx2", "", "", 2);

    assertThat(ResumeCompatibility.kernelChange("step-1", avx512, avx512)).isEmpty();
    assertThat(ResumeCompatibility.kernelChange("step-1", pinned, haswell)).as("another CPU, the same kernels")
        .isEmpty();
    assertThat(ResumeCompatibility.kernelChange("step-1", avx512, haswell)).hasValueSatisfying(line -> assertThat(line)
        .contains("step-1", "kernel ISA avx512_core_bf16 vs avx2", "not bit-identically", "--kernel-isa")
        .doesNotContain("\n"));
    assertThat(ResumeCompatibility.kernelChange("step-1", null, haswell))
        .hasValueSatisfying(line -> assertThat(line).contains("does not record"));
  }
}

