package crisscross.trainer.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which native code computes the model on this machine: libnd4j's build, the CPU and its best instruction set, the
 * kernel pins in force and the native thread count. float32 results are bit-identical between two machines only
 * where all of these agree: oneDNN (inside libnd4j) and OpenBLAS choose their kernels at run time from the CPU,
 * and AVX-512 kernels round differently from AVX2 ones.
 *
 * <p>Pins are environment variables read by the native libraries when they load, so they must be set before the
 * JVM starts (the launcher's {@code --kernel-isa} does it): {@code DNNL_MAX_CPU_ISA} caps oneDNN (the oneDNN 2.3
 * that libnd4j 1.0.0-M2.1 bundles reads only this name; it ignores {@code ONEDNN_MAX_CPU_ISA}), and
 * {@code OPENBLAS_CORETYPE} fixes OpenBLAS's kernels.
 *
 * @param build libnd4j's native build, e.g. {@code nd4j-native 1.0.0-M2.1 linux-x86_64-onednn-avx2}
 * @param cpuModel the CPU's model name
 * @param cpuIsa the best instruction set the CPU offers, in oneDNN's names ({@link #LEVELS})
 * @param isaCap {@code DNNL_MAX_CPU_ISA} as set (lower case), or empty for none
 * @param blasCore {@code OPENBLAS_CORETYPE} as set, or empty for OpenBLAS's own choice
 * @param threads libnd4j's maximum OpenMP threads
 */
public record NativeKernels(String build, String cpuModel, String cpuIsa, String isaCap, String blasCore,
    int threads) {
  /** oneDNN's x86-64 instruction-set levels, lowest first, each with the CPU flags it needs. */
  static final List<Map.Entry<String, Set<String>>> LEVELS = List.of(
      Map.entry("sse41", Set.of("sse4_1")),
      Map.entry("avx", Set.of("avx")),
      Map.entry("avx2", Set.of("avx2", "fma")),
      Map.entry("avx512_core", Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq")),
      Map.entry("avx512_core_vnni", Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni")),
      Map.entry("avx512_core_bf16", Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni",
          "avx512_bf16")),
      Map.entry("avx512_core_amx", Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni",
          "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8")));

  /** What computes the model in this process (loads the ND4J backend if it is not loaded yet). */
  public static NativeKernels current() {
    Nd4j.create(1);
    String build = "nd4j-native 1.0.0-M2.1 " + loadedClassifier();
    String cpuinfo;
    try {
      cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
    } catch (IOException e) {
      cpuinfo = "";
    }
    return new NativeKernels(build, cpuModel(cpuinfo), bestIsa(flags(cpuinfo)),
        System.getenv().getOrDefault("DNNL_MAX_CPU_ISA", "").trim().toLowerCase(Locale.ROOT),
        System.getenv().getOrDefault("OPENBLAS_CORETYPE", "").trim(), Nd4j.getEnvironment().maxThreads());
  }

  /** The instruction set oneDNN runs: the CPU's best, capped by {@code DNNL_MAX_CPU_ISA} where that is lower. */
  public String effectiveIsa() {
    int cpu = level(cpuIsa);
    if (isaCap.isEmpty() || isaCap.equals("all")) {
      return cpuIsa;
    }
    int cap = level(isaCap);
    return cap >= 0 && cap < cpu ? isaCap : cpuIsa;
  }

  /**
   * What differs between the kernels that produced a result ({@code this}) and {@code other}, for computing
   * bit-identically: the build, the instruction set oneDNN runs, OpenBLAS's kernels, the thread count. Empty when
   * the two compute the same bits (the CPU model itself does not matter).
   */
  public List<String> differencesFrom(NativeKernels other) {
    List<String> differences = new ArrayList<>();
    if (!build.equals(other.build)) {
      differences.add("native build " + build + " vs " + other.build);
    }
    if (!effectiveIsa().equals(other.effectiveIsa())) {
      differences.add("kernel ISA " + effectiveIsa() + " vs " + other.effectiveIsa());
    }
    if (!blasCore.equals(other.blasCore)) {
      differences.add("OpenBLAS core " + orAuto(blasCore) + " vs " + orAuto(other.blasCore));
    }
    if (threads != other.threads) {
      differences.add("native threads " + threads + " vs " + other.threads);
    }
    return differences;
  }

  /** One line for logs: build, kernel ISA (and whether it is pinned), CPU, OpenBLAS core, threads. */
  public String describe() {
    return build + ", kernel ISA " + effectiveIsa() + (isaCap.isEmpty() ? " (CPU's best)" : " (pinned " + isaCap
        + ")") + ", CPU " + cpuModel + " (" + cpuIsa + "), OpenBLAS core " + orAuto(blasCore) + ", " + threads
        + " native threads";
  }

  private static String orAuto(String blasCore) {
    return blasCore.isEmpty() ? "auto" : blasCore;
  }

  /** The best of {@link #LEVELS} whose flags are all in {@code flags}, or {@code unknown}. */
  static String bestIsa(Set<String> flags) {
    String best = "unknown";
    for (Map.Entry<String, Set<String>> level : LEVELS) {
      if (flags.containsAll(level.getValue())) {
        best = level.getKey();
      }
    }
    return best;
  }

  static int level(String isa) {
    for (int i = 0; i < LEVELS.size(); i++) {
      if (LEVELS.get(i).getKey().equals(isa)) {
        return i;
      }
    }
    return -1;
  }

  static Set<String> flags(String cpuinfo) {
    for (String line : cpuinfo.split("\n")) {
      if (line.startsWith("flags")) {
        return new TreeSet<>(List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
      }
    }
    return Set.of();
  }

  static String cpuModel(String cpuinfo) {
    for (String line : cpuinfo.split("\n")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown";
  }

  /** The classifier of the loaded libnd4j ({@code linux-x86_64-onednn-avx2}, ...), from its path. */
  private static String loadedClassifier() {
    for (String path : Loader.getLoadedLibraries().values()) {
      int library = path.indexOf("/libnd4jcpu.so");
      if (library > 0) {
        String directory = path.substring(0, library);
        return directory.substring(directory.lastIndexOf('/') + 1);
      }
    }
    return "unknown";
  }
}
