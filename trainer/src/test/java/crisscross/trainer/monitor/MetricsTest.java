package crisscross.trainer.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void rendersCountersAndGaugesWithLabelsInTheExpositionFormat() {
    Metrics metrics = new Metrics();
    metrics.counter("crisscross_skipped_samples_total", "Samples skipped", "reason").add(3, "no_audio");
    metrics.counter("crisscross_skipped_samples_total", "Samples skipped", "reason").inc("unreadable");
    metrics.gauge("crisscross_loss", "Loss per term", "term").set(-0.25, "intra");
    metrics.gauge("crisscross_step", "Step").set(42);
    metrics.gaugeFunction("crisscross_answer", "A supplier", () -> 4.5);
    metrics.counterFunction("crisscross_kept_elsewhere_total", "Counts held by another object", "reason",
        java.util.Map.of("timeout", () -> 2, "no_video", () -> 5));

    ExpositionParser.Exposition parsed = ExpositionParser.parse(metrics.scrape());

    assertThat(parsed.types()).containsEntry("crisscross_skipped_samples_total", "counter")
        .containsEntry("crisscross_loss", "gauge");
    assertThat(parsed.value("crisscross_skipped_samples_total", Map.of("reason", "no_audio"))).isEqualTo(3);
    assertThat(parsed.value("crisscross_skipped_samples_total", Map.of("reason", "unreadable"))).isEqualTo(1);
    assertThat(parsed.value("crisscross_loss", Map.of("term", "intra"))).isEqualTo(-0.25);
    assertThat(parsed.value("crisscross_step")).isEqualTo(42);
    assertThat(parsed.value("crisscross_answer")).isEqualTo(4.5);
    assertThat(parsed.types()).containsEntry("crisscross_kept_elsewhere_total", "counter");
    assertThat(parsed.value("crisscross_kept_elsewhere_total", Map.of("reason", "no_video"))).isEqualTo(5);
  }

  @Test
  void escapesLabelValues() {
    Metrics metrics = new Metrics();
    metrics.gauge("g", "help", "path").set(1, "a\"b\\c\nd");
    ExpositionParser.Exposition parsed = ExpositionParser.parse(metrics.scrape());
    assertThat(parsed.value("g", Map.of("path", "a\"b\\c\nd"))).isEqualTo(1);
  }

  @Test
  void countersAreExactUnderConcurrentIncrements() throws Exception {
    Metrics metrics = new Metrics();
    Metrics.Counter counter = metrics.counter("c_total", "count");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      pool.submit(() -> {
        for (int i = 0; i < 10_000; i++) {
          counter.inc();
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(metrics.value("c_total")).isEqualTo(40_000);
  }

  @Test
  void refusesKindConflictsBadNamesAndNegativeIncrements() {
    Metrics metrics = new Metrics();
    metrics.counter("x_total", "x");
    assertThatThrownBy(() -> metrics.gauge("x_total", "x")).hasMessageContaining("already registered");
    assertThatThrownBy(() -> metrics.gauge("bad-name", "x")).hasMessageContaining("invalid metric name");
    assertThatThrownBy(() -> metrics.counter("x_total", "x").add(-1)).hasMessageContaining("cannot decrease");
    assertThatThrownBy(() -> metrics.counter("x_total", "x").inc("unexpected"))
        .hasMessageContaining("takes labels");
  }
}
