package crisscross.trainer.export;

import crisscross.pipeline.config.Settings;
import crisscross.trainer.checkpoint.TensorBlob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weights a pretraining run starts from instead of its seed's draws ({@code model.init-from}): a safetensors file
 * in PyTorch's names and layouts, such as {@code crisscross export} writes. Strict by default
 * ({@code model.init-from-strict}): every tensor of the file must be a parameter or BN buffer of the model, with
 * its shape, and every backbone tensor of the model must be in the file; heads the file lacks keep their initial
 * values (a backbones-only export is the usual file). Not strict: tensors the model lacks are skipped and model
 * tensors the file lacks keep their initial values; shapes must still match. Read once at start, held as plain
 * data.
 */
public final class InitialWeights {
  private final Path file;
  private final Map<String, TensorBlob> tensors;
  private final boolean strict;

  private InitialWeights(Path file, Map<String, TensorBlob> tensors, boolean strict) {
    this.file = file;
    this.tensors = tensors;
    this.strict = strict;
  }

  /** What was loaded: tensors copied in, model tensors left at their initial values, file tensors skipped. */
  public record Loaded(List<String> loaded, List<String> keptInitial, List<String> skipped) {}

  /**
   * {@code model.init-from} (empty: none) and {@code model.init-from-strict}, parsed here only; the file is read
   * now, so a missing or damaged one is refused at start, naming the key and the file.
   */
  public static Optional<InitialWeights> from(Settings settings) {
    String path = settings.string("model.init-from");
    boolean strict = settings.bool("model.init-from-strict");
    if (path.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(read(Path.of(path), strict));
    } catch (IOException e) {
      throw settings.invalid("model.init-from", "cannot read the weights: " + e.getMessage());
    }
  }

  public static InitialWeights read(Path file, boolean strict) throws IOException {
    return new InitialWeights(file, Safetensors.read(file).byName(), strict);
  }

  public Path file() {
    return file;
  }

  /**
   * Copies the file's tensors into a model's live arrays (PyTorch names and layouts, cast to the arrays' data type).
   * Nothing is copied unless every check passes.
   *
   * @param isBackbone which of the model's tensors are backbone tensors (required in strict mode)
   * @throws IllegalArgumentException naming the tensor and the file, for a shape or type that does not fit, a
   *     tensor the model lacks (strict) or a backbone tensor the file lacks (strict)
   */
  public Loaded loadInto(Map<String, INDArray> parameters, Map<String, INDArray> buffers,
      Predicate<String> isBackbone) {
    Map<String, INDArray> model = new LinkedHashMap<>(parameters);
    model.putAll(buffers);
    List<String> loaded = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> keptInitial = new ArrayList<>();
    for (TensorBlob tensor : tensors.values()) {
      INDArray target = model.get(tensor.name());
      if (target == null) {
        if (strict) {
          throw new IllegalArgumentException("tensor " + tensor.name() + " in " + file + " is not a parameter or "
              + "buffer of this model (set model.init-from-strict = false to skip such tensors)");
        }
        skipped.add(tensor.name());
        continue;
      }
      if (!Arrays.equals(tensor.shape(), target.shape())) {
        throw new IllegalArgumentException("tensor " + tensor.name() + " in " + file + " has shape "
            + Arrays.toString(tensor.shape()) + ", the model's has " + Arrays.toString(target.shape()));
      }
      if (tensor.dtype().equals("i8") != (target.dataType() == DataType.LONG)) {
        throw new IllegalArgumentException("tensor " + tensor.name() + " in " + file + " holds "
            + (tensor.dtype().equals("i8") ? "integers" : "floats") + ", the model's holds " + target.dataType());
      }
      loaded.add(tensor.name());
    }
    for (String name : model.keySet()) {
      if (!tensors.containsKey(name)) {
        if (strict && isBackbone.test(name)) {
          throw new IllegalArgumentException("backbone tensor " + name + " is missing from " + file
              + " (set model.init-from-strict = false to keep its initial value)");
        }
        keptInitial.add(name);
      }
    }
    for (String name : loaded) {
      INDArray target = model.get(name);
      try (INDArray value = toArray(tensors.get(name))) {
        target.assign(value.dataType() == target.dataType() ? value : value.castTo(target.dataType()));
      }
    }
    return new Loaded(List.copyOf(loaded), List.copyOf(keptInitial), List.copyOf(skipped));
  }

  private static INDArray toArray(TensorBlob blob) {
    return switch (blob.dtype()) {
      case "f4" -> Nd4j.create(blob.floats(), blob.shape(), 'c');
      case "f8" -> Nd4j.create(blob.doubles(), blob.shape(), 'c');
      case "i8" -> Nd4j.createFromArray(blob.longs()).reshape(blob.shape()).castTo(DataType.LONG);
      default -> throw new IllegalArgumentException(blob.name() + ": unsupported dtype " + blob.dtype());
    };
  }
}
