package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every configuration key is parsed (typed and bounded) in one source file: a second reader calls the owner's
 * accessor ({@code VideoAugmentSettings.cropSize}, ...), so two readers can never disagree on a bound. The scan
 * covers the main sources of every module and calls with a literal key; keys built from a prefix
 * ({@code base + "projector-out"}) are each read by the one method that builds them.
 */
class ConfigKeyOwnershipTest {
  private static final Pattern PARSE = Pattern.compile(
      "\\.(?:string|bool|integer|longInteger|real|duration|choice|integers|reals|strings)\\(\"([a-z0-9][a-z0-9.\\-]*)\"");

  @Test
  void everyLiteralKeyIsParsedInExactlyOneFile() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Map<String, Set<String>> filesByKey = new TreeMap<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path sources : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(sources)) {
          files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
            Matcher m = PARSE.matcher(read(file));
            while (m.find()) {
              filesByKey.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(root.relativize(file).toString());
            }
          });
        }
      }
    }
    assertThat(filesByKey).as("keys found by the scan (a broken pattern would find none)").hasSizeGreaterThan(80)
        .containsKeys("video.crop-size", "audio.mel-bands", "sampling.frames-per-view", "pipeline.batch-size");
    Map<String, Set<String>> shared = new TreeMap<>();
    filesByKey.forEach((key, files) -> {
      if (files.size() > 1) {
        shared.put(key, files);
      }
    });
    assertThat(shared).as("keys parsed in more than one file: give each one owner with a static accessor").isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
