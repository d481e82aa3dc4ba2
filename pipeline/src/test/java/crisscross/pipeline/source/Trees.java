package crisscross.pipeline.source;

import crisscross.pipeline.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds small dataset trees for tests: media files are a few bytes, list files are real formats. */
final class Trees {
  private Trees() {}

  /** Creates each file with a few bytes derived from its name (so contents differ between files). */
  static void media(Path root, String... paths) {
    for (String path : paths) {
      text(root, path, "media:" + path);
    }
  }

  static void text(Path root, String path, String content) {
    try {
      Path file = root.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The defaults with {@code data.root} set and any other overrides. */
  static DataSettings settings(Object root, String... overrides) {
    List<String> all = new java.util.ArrayList<>(List.of(overrides));
    all.add("data.root=" + root);
    return DataSettings.from(ConfigLoader.fromArguments(List.of(), all));
  }
}
