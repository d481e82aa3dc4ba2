package crisscross.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.sample.ClipCounts;
import crisscross.pipeline.sample.SamplingSettings;
import crisscross.pipeline.sample.ViewSampler;
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
    ViewSampler authors = new ViewSampler(SamplingSettings.paperDefaults()
        .withVideoPlacement(SamplingSettings.VideoPlacement.ANYWHERE_IN_AUDIO_WINDOW));
    ViewSampler synchronous = new ViewSampler(SamplingSettings.paperDefaults());
    assertThat(PretrainRun.checkViews(CrissCrossMethod.of("crisscross", OptimSettings.paper()), synchronous))
        .isEqualTo(new ClipCounts(2, 2));
    assertThat(PretrainRun.checkViews(CrissCrossMethod.of("v1v2", OptimSettings.paper()), synchronous))
        .isEqualTo(new ClipCounts(2, 0));
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
    // Three video clips hopping under the authors' mild placement fit; kept each inside its audio clip, they do not.
    assertThat(PretrainRun.checkViews(greedy, authors)).isEqualTo(new ClipCounts(3, 0));
    assertThatThrownBy(() -> PretrainRun.checkViews(greedy, synchronous)).isInstanceOf(ConfigError.class)
        .hasMessageContaining("method greedy (four-clips)").hasMessageContaining("views v1, v2, v3")
        .hasMessageContaining("3 video and 0 audio clips").hasMessageContaining("sampling.video-placement");
  }
}
