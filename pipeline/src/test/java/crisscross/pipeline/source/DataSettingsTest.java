package crisscross.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataSettingsTest {
  private static DataSettings load(String... overrides) {
    return DataSettings.from(ConfigLoader.fromArguments(List.of(), List.of(overrides)));
  }

  @Test
  void defaultsAreReadAndValidated() {
    DataSettings settings = load();
    assertThat(settings.root()).isEmpty();
    assertThat(settings.layout()).isEqualTo(Layout.AUTO);
    assertThat(settings.split()).isEqualTo("train");
    assertThat(settings.fold()).isEqualTo(1);
    assertThat(settings.extensions()).contains("mp4", "wav", "flac");
    assertThat(settings.spoolDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
    assertThat(settings.s3().endpoint()).isEmpty();
    assertThat(settings.s3().retry().maxAttempts()).isEqualTo(10);
    assertThat(settings.s3().retry().initialBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(settings.s3().listPageSize()).isEqualTo(1000);
  }

  @Test
  void overridesAreApplied() {
    DataSettings settings = load("data.root=s3://bucket/k400", "data.layout=KINETICS", "data.split=val",
        "data.extensions=[.MP4, webm]", "data.s3.endpoint=http://minio:9000", "data.s3.path-style=true",
        "data.s3.access-key-id=id", "data.s3.secret-access-key=secret", "data.spool-dir=/tmp/spool");
    assertThat(settings.isRemote()).isTrue();
    assertThat(settings.layout()).isEqualTo(Layout.KINETICS);
    assertThat(settings.split()).isEqualTo("val");
    assertThat(settings.extensions()).containsExactlyInAnyOrder("mp4", "webm");
    assertThat(settings.isMedia("a/b.Mp4")).isTrue();
    assertThat(settings.isMedia("a/b.wav")).isFalse();
    assertThat(settings.isMedia("a.dir/mp4")).isFalse();
    assertThat(settings.s3().endpoint()).contains(URI.create("http://minio:9000"));
    assertThat(settings.s3().pathStyle()).isTrue();
    assertThat(settings.s3().toString()).doesNotContain("secret");
    assertThat(settings.spoolDir()).isEqualTo(Path.of("/tmp/spool"));
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> load("data.layout=youtube")).isInstanceOf(ConfigError.class)
        .hasMessageContaining("data.layout").hasMessageContaining("youtube");
    assertThatThrownBy(() -> load("data.split=holdout")).isInstanceOf(ConfigError.class)
        .hasMessageContaining("data.split");
    assertThatThrownBy(() -> load("data.extensions=[]")).isInstanceOf(ConfigError.class)
        .hasMessageContaining("data.extensions");
    assertThatThrownBy(() -> load("data.root=s3://")).isInstanceOf(ConfigError.class)
        .hasMessageContaining("data.root");
    assertThatThrownBy(() -> load("data.s3.endpoint=minio:9000")).isInstanceOf(ConfigError.class)
        .hasMessageContaining("data.s3.endpoint");
    assertThatThrownBy(() -> load("data.s3.access-key-id=only-the-id")).isInstanceOf(ConfigError.class)
        .hasMessageContaining("data.s3.secret-access-key");
    assertThatThrownBy(() -> load("data.s3.initial-backoff=20s")).isInstanceOf(ConfigError.class)
        .hasMessageContaining("data.s3.max-backoff");
    assertThatThrownBy(() -> load("data.s3.list-page-size=5000")).isInstanceOf(ConfigError.class)
        .hasMessageContaining("data.s3.list-page-size");
  }
}
