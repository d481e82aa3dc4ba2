package crisscross.pipeline.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.List;

/**
 * The files under a dataset root, local or in a bucket, listed once. Layout readers see only relative,
 * '/'-separated paths, so every layout reads the same way from a disk and from object storage.
 */
interface DataTree {
  /** The root, as a path or URI, for messages. */
  String describe();

  /** A file's full path or URI, for messages. */
  String describe(String relative);

  /** Every file under the root except hidden ones, relative, sorted. */
  List<String> files();

  /** What {@link SampleRef#location()} holds for this file: an absolute path or an {@code s3://} URI. */
  String location(String relative);

  /** Opens a text file (UTF-8). */
  BufferedReader open(String relative) throws IOException;

  /** The start of a text file (at most {@code maxBytes} bytes, UTF-8), e.g. to recognise a CSV header. */
  String head(String relative, int maxBytes) throws IOException;

  /**
   * The relative path a manifest entry names: relative to the root, or absolute ({@code /...} locally,
   * {@code s3://...} in a bucket) but inside it.
   *
   * @throws IllegalArgumentException saying why the entry is refused (it escapes the root through {@code ..},
   *     an absolute path elsewhere, or a symbolic link leading out)
   */
  String resolveEntry(String entry);
}
