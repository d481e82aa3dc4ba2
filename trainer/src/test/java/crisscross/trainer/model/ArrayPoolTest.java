package crisscross.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

class ArrayPoolTest {
  @Test
  void releasedBuffersAreHandedOutAgainByLengthAndType() {
    ArrayPool pool = new ArrayPool(1 << 20);
    INDArray a = pool.allocate(false, DataType.FLOAT, 2, 3);
    a.assign(7);
    long address = a.data().address();
    pool.releaseAllExcept(List.of());
    INDArray sameLength = pool.allocate(false, DataType.FLOAT, 3, 2);
    assertThat(sameLength.data().address()).isEqualTo(address);
    assertThat(sameLength.shape()).containsExactly(3, 2);
    assertThat(sameLength).isNotSameAs(a);
    INDArray otherType = pool.allocate(false, DataType.DOUBLE, 6);
    INDArray otherLength = pool.allocate(false, DataType.FLOAT, 7);
    assertThat(otherType.data().address()).isNotEqualTo(address);
    assertThat(otherLength.data().address()).isNotEqualTo(address);
    assertThat(pool.statistics()[2]).as("bytes reused").isEqualTo(24);
    assertThat(pool.statistics()[1]).as("bytes fresh").isEqualTo(24 + 48 + 28);
    pool.close();
  }

  @Test
  void keptArraysAndTheirBuffersStayOut() {
    ArrayPool pool = new ArrayPool(1 << 20);
    INDArray gradient = pool.allocate(false, DataType.FLOAT, 4);
    INDArray activation = pool.allocate(false, LongShapeDescriptor.fromShape(new long[] {4}, DataType.FLOAT));
    pool.releaseAllExcept(List.of(gradient.reshape(2, 2)));
    INDArray next = pool.allocate(false, DataType.FLOAT, 4);
    assertThat(next.data().address()).isEqualTo(activation.data().address());
    assertThat(pool.allocate(false, DataType.FLOAT, 4).data().address()).isNotEqualTo(gradient.data().address());
    pool.releaseAllExcept(List.of()); // the next step: what the caller kept from the last one stays the caller's
    for (int i = 0; i < 3; i++) {
      assertThat(pool.allocate(false, DataType.FLOAT, 4).data().address()).isNotEqualTo(gradient.data().address());
    }
    pool.release(gradient);
    pool.release(gradient.reshape(4)); // the same buffer through another array object: pooled once
    assertThat(pool.statistics()[0]).isEqualTo(16);
    pool.close();
  }

  @Test
  void capacityFreesTheLongestPooledFirst() {
    ArrayPool pool = new ArrayPool(100);
    INDArray old = pool.allocate(false, DataType.FLOAT, 10);
    INDArray young = pool.allocate(false, DataType.FLOAT, 10);
    INDArray huge = pool.allocate(false, DataType.FLOAT, 30);
    pool.release(old);
    pool.release(young);
    assertThat(pool.statistics()[0]).isEqualTo(80);
    pool.release(pool.allocate(false, DataType.FLOAT, 6)); // 24 more bytes: over 100, the oldest (40) goes
    assertThat(pool.statistics()[0]).isEqualTo(64);
    assertThat(old.wasClosed()).isTrue();
    assertThat(young.wasClosed()).isFalse();
    pool.release(huge); // larger than the whole pool: freed at once
    assertThat(huge.wasClosed()).isTrue();
    assertThat(pool.statistics()[0]).isEqualTo(64);
    pool.close();
    assertThat(young.wasClosed()).isTrue();
  }
}
