package crisscross.trainer.run;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigError;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.model.HeadGraph;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.View;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.optim.ParameterGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

class MethodViewsTest {
  @Test
  void aMethodAskingForViewsThePipelineCannotProduceIsRefusedNamingTheMethodAndTheView() {
    assertThatCode(() -> PretrainRun.checkViews(CrissCrossMethod.of("crisscross", OptimSettings.paper())))
        .doesNotThrowAnyException();
    Method greedy = new Method() {
      @Override
      public String name() {
        return "greedy";
      }

      @Override
      public String variant() {
        return "four-clips";
      }

      @Override
      public List<View> views() {
        return List.of(View.V1, View.V2, new View(Modality.VIDEO, 3));
      }

      @Override
      public HeadGraph heads(ModelSettings model) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<String> termLabels() {
        return List.of();
      }

      @Override
      public ParameterGroup group(String parameterName) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<ParameterGroup> groups() {
        return List.of();
      }
    };
    assertThatThrownBy(() -> PretrainRun.checkViews(greedy)).isInstanceOf(ConfigError.class)
        .hasMessageContaining("method greedy").hasMessageContaining("view v3")
        .hasMessageContaining("2 clips per modality");
  }
}
