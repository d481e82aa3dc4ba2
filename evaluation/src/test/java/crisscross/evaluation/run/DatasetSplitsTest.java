package crisscross.evaluation.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.SampleRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSplitsTest {
  @TempDir Path root;

  private static final DataSettings BASE = DataSettings.from(ConfigLoader.load(List.of(), List.of()));

  /** An ESC-50 tree holding the given folds: 2 classes, 3 recordings per class and fold, 2 takes each. */
  private void esc50(int... folds) throws IOException {
    StringBuilder csv = new StringBuilder("filename,fold,target,category,esc10,src_file,take\n");
    for (int fold : folds) {
      for (int target = 0; target < 2; target++) {
        for (int recording = 0; recording < 3; recording++) {
          String source = fold + "" + target + recording;
          for (String take : List.of("A", "B")) {
            String name = fold + "-" + source + "-" + take + "-" + target + ".wav";
            csv.append(name).append(',').append(fold).append(',').append(target).append(',')
                .append(target == 0 ? "dog" : "rain").append(",False,").append(source).append(',').append(take)
                .append('\n');
            Files.createDirectories(root.resolve("audio"));
            Files.writeString(root.resolve("audio").resolve(name), "media:" + name);
          }
        }
      }
    }
    Files.createDirectories(root.resolve("meta"));
    Files.writeString(root.resolve("meta/esc50.csv"), csv.toString());
  }

  @Test
  void aSingleEsc50FoldIsEvaluatedByGroupedCrossValidation() throws IOException {
    esc50(4);
    DatasetSplits data = DatasetSplits.open(DatasetSpec.parse("esc50=" + root), BASE, 3, 42);
    assertThat(data.groupedCv()).isTrue();
    assertThat(data.samples()).hasSize(12).allMatch(s -> s.split().isEmpty());
    assertThat(data.classNames()).containsExactly("dog", "rain");
    assertThat(data.splits()).hasSize(3);
    Map<String, String> groupOf = new HashMap<>();
    data.samples().forEach(s -> groupOf.put(s.id(), s.group()));
    Set<String> tested = new HashSet<>();
    for (DatasetSplits.Split split : data.splits()) {
      Set<String> trainGroups = new HashSet<>();
      split.train().forEach(id -> trainGroups.add(groupOf.get(id)));
      for (String id : split.test()) {
        assertThat(trainGroups).as("the takes of one recording stay together").doesNotContain(groupOf.get(id));
        assertThat(tested.add(id)).isTrue();
      }
    }
    assertThat(tested).hasSize(12);
    assertThat(data.trainingSamples()).hasSize(12);
  }

  @Test
  void allFiveEsc50FoldsAreTheOfficialSplits() throws IOException {
    esc50(1, 2, 3, 4, 5);
    DatasetSplits data = DatasetSplits.open(DatasetSpec.parse("ESC-50=" + root), BASE, 5, 42);
    assertThat(data.groupedCv()).isFalse();
    assertThat(data.splits()).extracting(DatasetSplits.Split::name)
        .containsExactly("fold 1", "fold 2", "fold 3", "fold 4", "fold 5");
    DatasetSplits.Split fold2 = data.splits().get(1);
    assertThat(fold2.test()).hasSize(12).allMatch(id -> id.startsWith("audio/2-"));
    assertThat(fold2.train()).hasSize(48).noneMatch(id -> id.startsWith("audio/2-"));
    assertThat(data.samples()).extracting(SampleRef::index).containsExactly(
        java.util.stream.IntStream.range(0, 60).boxed().toArray(Integer[]::new));
  }

  @Test
  void aManifestWithTrainAndTestHasOneSplit() throws IOException {
    StringBuilder manifest = new StringBuilder("path,label,split\n");
    for (int i = 0; i < 8; i++) {
      String path = "clips/c" + i + ".mp4";
      Files.createDirectories(root.resolve("clips"));
      Files.writeString(root.resolve(path), "media");
      manifest.append(path).append(',').append(i % 2 == 0 ? "a" : "b").append(',')
          .append(i < 6 ? "train" : "test").append('\n');
    }
    Files.writeString(root.resolve("manifest.csv"), manifest.toString());
    DatasetSplits data = DatasetSplits.open(DatasetSpec.parse("synthetic=" + root), BASE, 5, 42);
    assertThat(data.groupedCv()).isFalse();
    assertThat(data.splits()).singleElement().satisfies(split -> {
      assertThat(split.name()).isEqualTo("test");
      assertThat(split.train()).hasSize(6);
      assertThat(split.test()).containsExactlyInAnyOrder("clips/c6.mp4", "clips/c7.mp4");
    });
  }

  @Test
  void namesAreCheckedWithTheKnownOnesListed() {
    assertThatThrownBy(() -> DatasetSpec.parse("imagenet=/data")).hasMessageContaining("esc50, dcase, ucf101");
    assertThatThrownBy(() -> DatasetSpec.parse("/data/esc50")).hasMessageContaining("NAME=PATH");
    assertThat(DatasetSpec.parse("demo=data/demo").kind()).isEqualTo(DatasetKind.SYNTHETIC);
    assertThat(DatasetSpec.parse("UCF101=s3://bucket/ucf").root()).isEqualTo("s3://bucket/ucf");
  }
}
