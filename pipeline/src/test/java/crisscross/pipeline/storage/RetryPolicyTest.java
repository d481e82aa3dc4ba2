package crisscross.pipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(200), Duration.ofSeconds(10));

  @Test
  void nominalDelayDoublesUntilTheCap() {
    // jitter just below 1 gives (almost) the full nominal delay
    assertThat(policy.delayAfter(1, 0.999_999).toMillis()).isEqualTo(199);
    assertThat(policy.delayAfter(2, 0.999_999).toMillis()).isEqualTo(399);
    assertThat(policy.delayAfter(6, 0.999_999).toMillis()).isEqualTo(6399);
    assertThat(policy.delayAfter(7, 0.999_999).toMillis()).isEqualTo(9999);
    assertThat(policy.delayAfter(60, 0.999_999).toMillis()).isEqualTo(9999);
  }

  @Test
  void jitterSpreadsTheSecondHalfOnly() {
    assertThat(policy.delayAfter(3, 0.0)).isEqualTo(Duration.ofMillis(400));
    assertThat(policy.delayAfter(3, 0.5)).isEqualTo(Duration.ofMillis(600));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("backoff");
    assertThatThrownBy(() -> policy.delayAfter(0, 0.1)).hasMessageContaining("failedAttempts");
    assertThatThrownBy(() -> policy.delayAfter(1, 1.0)).hasMessageContaining("jitter");
  }
}
