package crisscross.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.evaluation.linear.ProbeSettings;
import crisscross.evaluation.linear.SvmSettings;
import crisscross.evaluation.retrieval.RetrievalSettings;
import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationSettingsTest {
  @Test
  void defaultsAreThePapersProtocol() {
    EvaluationSettings settings = EvaluationSettings.from(ConfigLoader.load(List.of(), List.of()));
    assertThat(settings.probe()).isEqualTo(ProbeSettings.paperDefaults(42));
    assertThat(settings.probe().costs()).containsExactly(1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 1.0);
    assertThat(settings.probe().svm()).isEqualTo(SvmSettings.LINEAR_SVC_DEFAULTS);
    assertThat(settings.retrieval()).isEqualTo(new RetrievalSettings(List.of(1, 5, 20), 0));
    assertThat(settings.groupedCvFolds()).isEqualTo(5);
    assertThat(settings.cacheDir()).isEmpty();
  }

  @Test
  void overridesAreRead() {
    EvaluationSettings settings = EvaluationSettings.from(ConfigLoader.load(List.of(), List.of(
        "evaluation.linear.preprocessing=none", "evaluation.cache-dir=/tmp/features",
        "evaluation.linear.costs=[1, 0.01]", "run.seed=7")));
    assertThat(settings.probe().preprocessing()).isEqualTo(ProbeSettings.Preprocessing.NONE);
    assertThat(settings.probe().costs()).as("sorted ascending").containsExactly(0.01, 1.0);
    assertThat(settings.probe().seed()).isEqualTo(7);
    assertThat(settings.cacheDir()).contains(Path.of("/tmp/features"));
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> EvaluationSettings.from(ConfigLoader.load(List.of(),
        List.of("evaluation.linear.costs=[]")))).isInstanceOf(ConfigError.class)
        .hasMessageContaining("evaluation.linear.costs");
    assertThatThrownBy(() -> EvaluationSettings.from(ConfigLoader.load(List.of(),
        List.of("evaluation.linear.cv-folds=1")))).isInstanceOf(ConfigError.class)
        .hasMessageContaining("evaluation.linear.cv-folds");
    assertThatThrownBy(() -> EvaluationSettings.from(ConfigLoader.load(List.of(),
        List.of("evaluation.linear.preprocessing=whiten")))).isInstanceOf(ConfigError.class)
        .hasMessageContaining("evaluation.linear.preprocessing");
    assertThatThrownBy(() -> EvaluationSettings.from(ConfigLoader.load(List.of(),
        List.of("evaluation.retrieval.ks=[0, 5]")))).isInstanceOf(ConfigError.class)
        .hasMessageContaining("evaluation.retrieval.ks");
  }
}
