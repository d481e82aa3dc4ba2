package crisscross.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodeSettingsTest {
  @Test
  void theDefaultsAreThePapersGrids() {
    DecodeSettings settings = DecodeSettings.from(ConfigLoader.load(List.of(), List.of()));

    assertThat(settings).isEqualTo(DecodeSettings.defaults());
    assertThat(settings.videoFps()).isEqualTo(16);
    assertThat(settings.audioSampleRate()).isEqualTo(16_000);
    assertThat(settings.shortSide()).isEqualTo(128);
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void namedConfigurationsAndOverridesAreRead() {
    DecodeSettings demo = DecodeSettings.from(ConfigLoader.fromArguments(List.of("demo"),
        List.of("sampling.video-fps=8", "pipeline.decode-timeout=5s")));

    assertThat(demo.shortSide()).isEqualTo(72);
    assertThat(demo.videoFps()).isEqualTo(8);
    assertThat(demo.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aBadValueIsRefusedNamingItsKey() {
    assertThatThrownBy(() -> DecodeSettings.from(ConfigLoader.load(List.of(),
        List.of("video.decode-short-side=0"))))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("video.decode-short-side");
  }
}
