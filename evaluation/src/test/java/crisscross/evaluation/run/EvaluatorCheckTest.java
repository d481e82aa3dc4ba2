package crisscross.evaluation.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.trainer.model.Modality;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which encoders each protocol evaluates, and the clear errors for what a checkpoint cannot serve. */
class EvaluatorCheckTest {
  private static final Set<Modality> NONE = EnumSet.noneOf(Modality.class);
  private static final Set<Modality> AUDIO_ONLY = EnumSet.of(Modality.AUDIO);
  private static final Set<Modality> BOTH = EnumSet.allOf(Modality.class);

  @Test
  void datasetsEvaluateTheirOwnModalitiesWithWhatTheCheckpointHas() {
    DatasetSpec esc = DatasetSpec.parse("esc50=/d");
    DatasetSpec synthetic = DatasetSpec.parse("synthetic=/d");
    assertThat(Evaluator.check(esc, EvaluationProtocol.LINEAR, NONE, AUDIO_ONLY, "a1a2")).containsExactly(
        Modality.AUDIO);
    assertThat(Evaluator.check(esc, EvaluationProtocol.LINEAR, NONE, BOTH, "crisscross")).containsExactly(
        Modality.AUDIO);
    assertThat(Evaluator.check(synthetic, EvaluationProtocol.RETRIEVAL, NONE, BOTH, "crisscross"))
        .containsExactlyInAnyOrder(Modality.AUDIO, Modality.VIDEO);
    assertThat(Evaluator.check(synthetic, EvaluationProtocol.LINEAR, NONE, AUDIO_ONLY, "a1a2"))
        .containsExactly(Modality.AUDIO);
  }

  @Test
  void videoProtocolsOnAnAudioOnlyCheckpointAreRefused() {
    DatasetSpec ucf = DatasetSpec.parse("ucf101=/d");
    assertThatThrownBy(() -> Evaluator.check(ucf, EvaluationProtocol.LINEAR, NONE, AUDIO_ONLY, "crisscross (a1a2)"))
        .hasMessage("linear on UCF101 evaluates only a video encoder, but the checkpoint (crisscross (a1a2)) has "
            + "only an audio encoder");
    assertThatThrownBy(() -> Evaluator.check(ucf, EvaluationProtocol.FINETUNE, NONE, AUDIO_ONLY, "a1a2"))
        .hasMessageContaining("finetuning on UCF101 trains the video encoder");
    assertThatThrownBy(() -> Evaluator.check(DatasetSpec.parse("kinetics-sound=/d"), EvaluationProtocol.FUSION,
        NONE, AUDIO_ONLY, "a1a2")).hasMessageContaining("needs audio and video encoders");
    assertThatThrownBy(() -> Evaluator.check(DatasetSpec.parse("synthetic=/d"), EvaluationProtocol.RETRIEVAL,
        EnumSet.of(Modality.VIDEO), AUDIO_ONLY, "a1a2")).hasMessageContaining("asks for only a video encoder");
  }
}
