package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.trainer.host.NativeKernels;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What {@code package} ships in {@code app/target/lib}, the folder the {@code crisscross} launcher and the images
 * put on the classpath: one native build of ND4J, the one {@code nd4j.classifier} selects, and a JVM given only
 * that folder loads it.
 */
class ShippedLibrariesIT {
  private static final Path LIB = Path.of("target", "lib");
  private static final String BACKEND = "nd4j-native-1.0.0-M2.1";

  /** Run on the shipped classpath: prints the loaded native build. */
  public static void main(String[] args) {
    System.out.println("loaded: " + NativeKernels.current().build());
  }

  @Test
  void onlyTheSelectedNativeBuildIsShipped() throws Exception {
    String classifier = System.getProperty("crisscross.nd4j.classifier");
    assertThat(classifier).as("crisscross.nd4j.classifier, set by the pom").isNotBlank();
    List<String> backendJars;
    try (Stream<Path> files = Files.list(LIB)) {
      backendJars = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(BACKEND)).sorted().toList();
    }
    assertThat(backendJars).as("ND4J backend jars in %s", LIB.toAbsolutePath())
        .containsExactlyInAnyOrder(BACKEND + ".jar", BACKEND + "-" + classifier + ".jar");
  }

  @Test
  void aJvmGivenTheShippedLibrariesLoadsTheSelectedBuild() throws Exception {
    String classifier = System.getProperty("crisscross.nd4j.classifier");
    String classpath = String.join(File.pathSeparator, Path.of("target", "test-classes").toString(),
        Path.of("target", "crisscross-app.jar").toString(), LIB.resolve("*").toString());
    Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-cp",
        classpath, ShippedLibrariesIT.class.getName()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("loaded: nd4j-native 1.0.0-M2.1 " + classifier + "\n");
  }
}
