package crisscross.pipeline.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PipelineMemoryTest {
  /** Two video views [3, 8, 112, 112] and two audio views [1, 80, 200]: the full model's sample. */
  static final long FULL_SAMPLE = 2L * 3 * 8 * 112 * 112 + 2L * 80 * 200;

  @Test
  void thePeakIsTheReadyBufferTheBatchBeingAssembledTwiceTheTrainersBatchAndTheLoadsInFlight() {
    PipelineMemory memory = PipelineMemory.of(FULL_SAMPLE, 512, 2, 4);
    assertThat(memory.sampleBytes()).isEqualTo(FULL_SAMPLE * 4);
    assertThat(memory.batchBytes()).isEqualTo(FULL_SAMPLE * 4 * 512);
    assertThat(memory.heapBytes()).isEqualTo(FULL_SAMPLE * 4 * (512 * 5 + 4));
  }

  @Test
  void thePapersBatchOf2048DoesNotFitTheLaunchersHeapAndTheDemoDoes() {
    long launcherHeap = 4L << 30;
    PipelineMemory papers = PipelineMemory.of(FULL_SAMPLE, 2048, 2, 2);
    assertThat(papers.fits(launcherHeap)).isFalse();
    assertThat(papers.describe(launcherHeap)).contains("24.2 GiB").contains("batch 2048")
        .contains("4.0 GiB maximum heap");
    long demoSample = 2L * 3 * 8 * 64 * 64 + 2L * 40 * 100;
    assertThat(PipelineMemory.of(demoSample, 16, 2, 2).fits(launcherHeap)).isTrue();
    assertThat(PipelineMemory.of(FULL_SAMPLE, 2, 2, 2).fits(1L << 30)).as("bench-sized batches").isTrue();
  }
}
