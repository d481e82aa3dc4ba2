package crisscross.trainer.reference;

import crisscross.pipeline.io.Npy;
import crisscross.pipeline.io.NpyArray;
import crisscross.trainer.model.ModelSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A golden directory as written by {@code tools/reference/crisscross_ref.py --golden}: one {@code .npy} per tensor,
 * named {@code <group>.<name>.npy} (groups input, param_init, buffer_init, loss, act, grad, grad_larc,
 * param_after, buffer_after). The network widths and input shapes are read from the tensors' shapes.
 */
public final class ReferenceData {
  private final Path directory;
  private final Map<String, NpyArray> files;

  private ReferenceData(Path directory, Map<String, NpyArray> files) {
    this.directory = directory;
    this.files = files;
  }

  /** Reads every {@code .npy} file of {@code directory}; errors name the file. */
  public static ReferenceData load(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException(directory + ": not a directory");
    }
    Map<String, NpyArray> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(directory)) {
      for (Path file : (Iterable<Path>) list::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(".npy")) {
          files.put(name.substring(0, name.length() - 4), Npy.read(file));
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (!files.containsKey("input.v1") || !files.containsKey("input.a1")) {
      throw new IOException(directory + ": no input.v1.npy / input.a1.npy; not a CrissCross golden directory");
    }
    return new ReferenceData(directory, files);
  }

  public Path directory() {
    return directory;
  }

  /** The tensors of one group ({@code "grad"}) by name without the group prefix. */
  public Map<String, NpyArray> group(String group) {
    Map<String, NpyArray> out = new TreeMap<>();
    String prefix = group + ".";
    files.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  public NpyArray get(String key) {
    NpyArray a = files.get(key);
    if (a == null) {
      throw new IllegalArgumentException(directory + ": missing " + key + ".npy");
    }
    return a;
  }

  public boolean has(String key) {
    return files.containsKey(key);
  }

  /** Model settings whose shapes match the directory's tensors, in {@code dataType}. */
  public ModelSettings settings(DataType dataType) {
    int[] video = new int[4];
    int[] audio = new int[4];
    for (int i = 0; i < 4; i++) {
      video[i] = (int) get("param_init.video_backbone.layer" + (i + 1) + ".0.bn1.weight").shape()[0];
      audio[i] = (int) get("param_init.audio_backbone.layer" + (i + 1) + ".0.bn1.weight").shape()[0];
    }
    int projectorHidden = (int) get("param_init.video_projector.fc1.weight").shape()[0];
    int projectorOut = (int) get("param_init.video_projector.fc3.weight").shape()[0];
    int predictorHidden = (int) get("param_init.video_predictor.fc1.weight").shape()[0];
    long[] v = get("input.v1").shape();
    long[] a = get("input.a1").shape();
    if (v.length != 5 || a.length != 4 || v[3] != v[4]) {
      throw new IllegalArgumentException(directory + ": inputs must be [B,3,T,S,S] video and [B,1,F,T] audio");
    }
    return new ModelSettings(video, audio, projectorHidden, projectorOut, predictorHidden, (int) v[2], (int) v[3],
        (int) a[2], (int) a[3], dataType);
  }

  /** Batch size of the inputs. */
  public int batch() {
    return (int) get("input.v1").shape()[0];
  }

  public static INDArray toArray(NpyArray a, DataType type) {
    if (a.shape().length == 0) {
      return Nd4j.scalar(DataType.DOUBLE, a.data()[0]).castTo(type);
    }
    return Nd4j.create(a.data(), a.shape(), DataType.DOUBLE).castTo(type);
  }
}
