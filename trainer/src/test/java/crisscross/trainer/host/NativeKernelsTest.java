package crisscross.trainer.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class NativeKernelsTest {
  static final String ZEN4 = "processor\t: 0\nmodel name\t: AMD EPYC 9454\nflags\t\t: fpu sse4_1 sse4_2 avx fma avx2 "
      + "avx512f avx512dq avx512bw avx512vl avx512_vnni avx512_bf16\n";
  static final String HASWELL = "model name\t: Intel(R) Xeon(R) CPU E5-2680 v3\nflags\t\t: fpu sse4_1 avx fma avx2\n";

  static NativeKernels on(String cpuinfo, String cap) {
    return new NativeKernels("nd4j-native 1.0.0-M2.1 linux-x86_64-onednn-avx2", NativeKernels.cpuModel(cpuinfo),
        NativeKernels.bestIsa(NativeKernels.flags(cpuinfo)), cap, "", 2);
  }

  @Test
  void theCpusBestInstructionSetIsReadFromItsFlags() {
    assertThat(on(ZEN4, "").cpuIsa()).isEqualTo("avx512_core_bf16");
    assertThat(on(ZEN4, "").cpuModel()).isEqualTo("AMD EPYC 9454");
    assertThat(on(HASWELL, "").cpuIsa()).isEqualTo("avx2");
    assertThat(NativeKernels.bestIsa(Set.of("sse4_1", "avx", "avx2"))).as("avx2 without fma").isEqualTo("avx");
    assertThat(NativeKernels.bestIsa(Set.of())).isEqualTo("unknown");
  }

  @Test
  void aCapBelowTheCpusBestIsWhatRunsAndOneAboveIsNot() {
    assertThat(on(ZEN4, "").effectiveIsa()).isEqualTo("avx512_core_bf16");
    assertThat(on(ZEN4, "avx2").effectiveIsa()).isEqualTo("avx2");
    assertThat(on(ZEN4, "all").effectiveIsa()).isEqualTo("avx512_core_bf16");
    assertThat(on(HASWELL, "avx512_core").effectiveIsa()).isEqualTo("avx2");
  }

  @Test
  void machinesComputeTheSameBitsWhenBuildEffectiveIsaBlasAndThreadsAgree() {
    assertThat(on(ZEN4, "avx2").differencesFrom(on(HASWELL, ""))).as("pinned to what the other runs").isEmpty();
    assertThat(on(ZEN4, "").differencesFrom(on(HASWELL, "")))
        .containsExactly("kernel ISA avx512_core_bf16 vs avx2");
    NativeKernels pinned = on(ZEN4, "avx2");
    NativeKernels otherThreads = new NativeKernels(pinned.build(), pinned.cpuModel(), pinned.cpuIsa(),
        pinned.isaCap(), "Haswell", 16);
    assertThat(pinned.differencesFrom(otherThreads))
        .containsExactly("OpenBLAS core auto vs Haswell", "native threads 2 vs 16");
  }

  @Test
  void thisMachineIsDescribed() {
    NativeKernels here = NativeKernels.current();
    assertThat(here.build()).startsWith("nd4j-native 1.0.0-M2.1 linux-x86_64");
    assertThat(here.cpuIsa()).isNotEqualTo("unknown");
    assertThat(here.threads()).isPositive();
    assertThat(here.describe()).contains(here.effectiveIsa()).contains(here.cpuModel());
  }
}
