package crisscross.trainer.checkpoint;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * Kryo with registration required and fixed class ids: a checkpoint holding a class that is not registered
 * here is refused on write and on read, and ids never shift between versions.
 */
final class CheckpointCodec {
  private CheckpointCodec() {}

  static Kryo newKryo() {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    kryo.register(ArrayList.class, 20);
    kryo.register(HashMap.class, 21);
    kryo.register(long[].class, 22);
    kryo.register(double[].class, 23);
    kryo.register(byte[].class, 24);
    kryo.register(float[].class, 25);
    kryo.register(TrainerState.class, 40);
    kryo.register(MetricPoint.class, 41);
    kryo.register(TensorBlob.class, 42);
    kryo.register(ModelTensors.class, 43);
    return kryo;
  }

  /**
   * The network's tensors as {@code model.kryo} holds them since the first format: the method's state goes to a
   * file of its own, so checkpoints of stateless methods are byte-for-byte what earlier versions wrote and read.
   */
  record ModelTensors(ArrayList<TensorBlob> parameters, ArrayList<TensorBlob> buffers,
      ArrayList<TensorBlob> optimiser) {}

  static void writeModel(OutputStream out, ModelSnapshot snapshot) throws IOException {
    write(out, new ModelTensors(snapshot.parameters(), snapshot.buffers(), snapshot.optimiser()));
  }

  /** @param methodState the method's tensors, empty when the checkpoint has none */
  static ModelSnapshot readModel(InputStream in, ArrayList<TensorBlob> methodState) throws IOException {
    ModelTensors tensors = read(in, ModelTensors.class);
    return new ModelSnapshot(tensors.parameters(), tensors.buffers(), tensors.optimiser(), methodState);
  }

  static void write(OutputStream out, Object value) throws IOException {
    try (Output output = new Output(out, 1 << 16)) {
      newKryo().writeObject(output, value);
      output.flush();
    } catch (KryoException e) {
      throw new IOException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  static <T> T read(InputStream in, Class<T> type) throws IOException {
    try (Input input = new Input(in, 1 << 16)) {
      return newKryo().readObject(input, type);
    } catch (KryoException | IllegalArgumentException e) {
      throw new IOException("cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
