package crisscross.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain directories and manifests on the local disk. */
class LocalDatasetsTest {
  @TempDir Path root;

  @Test
  void classFoldersGiveLabelsAndSamplesAreSortedById() {
    Trees.media(root, "dog/b.wav", "cat/z.wav", "dog/a.wav", "cat/a.WAV", "cat/notes.txt", "cat/._a.wav",
        ".cache/x.wav");

    Dataset dataset = Datasets.open(Trees.settings(root));

    assertThat(dataset.layout()).isEqualTo(Layout.DIRECTORY);
    assertThat(dataset.samples()).extracting(SampleRef::id)
        .containsExactly("cat/a.WAV", "cat/z.wav", "dog/a.wav", "dog/b.wav");
    assertThat(dataset.samples()).extracting(SampleRef::index).containsExactly(0, 1, 2, 3);
    assertThat(dataset.classNames()).containsExactly("cat", "dog");
    SampleRef third = dataset.sample(2);
    assertThat(third.label()).contains("dog");
    assertThat(third.location()).isEqualTo(root.resolve("dog/a.wav").toAbsolutePath().toString());
    assertThat(third.isRemote()).isFalse();
    assertThat(third.split()).isEmpty();
    assertThat(dataset.classIndex(third)).isEqualTo(1);
    assertThat(dataset.classIndexes(dataset.samples())).containsExactly(0, 0, 1, 1);
  }

  @Test
  void splitFoldersHoldClassFoldersAndSelectTheSplit() {
    Trees.media(root, "train/dog/a.mp4", "train/cat/b.mp4", "validation/dog/c.mp4", "test/bird/d.mp4");

    Dataset train = Datasets.open(Trees.settings(root));
    Dataset val = Datasets.open(Trees.settings(root, "data.split=val"));
    Dataset all = Datasets.open(Trees.settings(root, "data.split=all"));

    assertThat(train.samples()).extracting(SampleRef::id).containsExactly("train/cat/b.mp4", "train/dog/a.mp4");
    assertThat(train.samples()).allSatisfy(s -> assertThat(s.split()).isEqualTo("train"));
    assertThat(val.samples()).extracting(SampleRef::id).containsExactly("validation/dog/c.mp4");
    assertThat(val.sample(0).split()).isEqualTo("val");
    assertThat(all.size()).isEqualTo(4);
    // Class indices are shared by every split, so train and test labels mean the same class.
    assertThat(train.classNames()).isEqualTo(val.classNames()).containsExactly("bird", "cat", "dog");
  }

  @Test
  void labelsAreDecidedPerSplitSoAFlatTestFolderKeepsTrainLabels() {
    Trees.media(root, "train/dog/a.mp4", "train/cat/b.mp4", "test/c.mp4", "test/d.mp4");
    Dataset all = Datasets.open(Trees.settings(root, "data.split=all"));
    assertThat(all.samples()).extracting(s -> s.label().orElse("-")).containsExactly("-", "-", "cat", "dog");
    assertThat(all.classNames()).containsExactly("cat", "dog");
  }

  @Test
  void symbolicLinksInTheTreeAreFollowed() throws Exception {
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    Trees.media(elsewhere, "dog/a.wav", "cat/b.wav");
    Path data = Files.createDirectories(root.resolve("data"));
    Files.createSymbolicLink(data.resolve("dog"), elsewhere.resolve("dog"));
    Files.createSymbolicLink(data.resolve("cat"), elsewhere.resolve("cat"));
    Files.createSymbolicLink(data.resolve("loop"), data);
    Trees.media(data, "loop-free/x.wav");
    assertThat(Datasets.open(Trees.settings(data)).samples()).extracting(SampleRef::id)
        .contains("cat/b.wav", "dog/a.wav", "loop-free/x.wav");
  }

  @Test
  void flatFolderHasNoLabelsAndEverySplitSelectsAll() {
    Trees.media(root, "b.mp4", "a.mp4");
    Dataset dataset = Datasets.open(Trees.settings(root, "data.split=test"));
    assertThat(dataset.samples()).extracting(SampleRef::id).containsExactly("a.mp4", "b.mp4");
    assertThat(dataset.hasLabels()).isFalse();
    assertThat(dataset.classIndex(dataset.sample(0))).isEqualTo(-1);
  }

  @Test
  void aSingleFolderIsNotAClassification() {
    Trees.media(root, "clips/b.mp4", "clips/a.mp4");
    assertThat(Datasets.open(Trees.settings(root)).hasLabels()).isFalse();
  }

  @Test
  void manifestHashIsStableAndChangesWithIdsLabelsOrSplits() {
    Trees.media(root, "dog/a.wav", "cat/b.wav");
    Dataset first = Datasets.open(Trees.settings(root));
    Dataset again = Datasets.open(Trees.settings(root));
    assertThat(first.manifestHash()).hasSize(64).isEqualTo(again.manifestHash());
    assertThat(first.manifestHash()).isEqualTo(Dataset.hashOf(first.samples()));

    Trees.media(root, "dog/c.wav");
    assertThat(Datasets.open(Trees.settings(root)).manifestHash()).isNotEqualTo(first.manifestHash());

    SampleRef relabelled = new SampleRef(0, "cat/b.wav", "x", Optional.of("dog"), "", "g");
    SampleRef resplit = new SampleRef(0, "cat/b.wav", "x", Optional.of("cat"), "test", "g");
    SampleRef moved = new SampleRef(0, "cat/b.wav", "s3://elsewhere/cat/b.wav", Optional.of("cat"), "", "other");
    String original = Dataset.hashOf(java.util.List.of(first.sample(0)));
    assertThat(Dataset.hashOf(java.util.List.of(relabelled))).isNotEqualTo(original);
    assertThat(Dataset.hashOf(java.util.List.of(resplit))).isNotEqualTo(original);
    assertThat(Dataset.hashOf(java.util.List.of(moved))).isEqualTo(original);
  }

  @Test
  void hashIsTheDocumentedSha256() throws Exception {
    SampleRef a = new SampleRef(0, "a.wav", "/x/a.wav", Optional.of("dog"), "train", "a.wav");
    SampleRef b = new SampleRef(1, "b.wav", "/x/b.wav", Optional.empty(), "", "b.wav");
    byte[] text = "a.wav\tdog\ttrain\nb.wav\t\t\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String expected = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(text));
    assertThat(Dataset.hashOf(java.util.List.of(a, b))).isEqualTo(expected);
  }

  @Test
  void emptyRootOrMissingRootAreClearErrors() throws Exception {
    assertThatThrownBy(() -> Datasets.open(Trees.settings("")))
        .isInstanceOf(ConfigError.class).hasMessageContaining("data.root");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root.resolve("absent"))))
        .isInstanceOf(DatasetError.class).hasMessageContaining("absent").hasMessageContaining("does not exist");
    Files.createDirectories(root.resolve("empty"));
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root.resolve("empty"))))
        .isInstanceOf(DatasetError.class).hasMessageContaining("no media files")
        .hasMessageContaining("data.extensions");
  }

  @Test
  void csvManifestWithLabelsSplitsAndGroups() {
    Trees.media(root, "clips/a.mp4", "clips/b.mp4", "clips/c.mp4");
    Trees.text(root, "list.csv", """
        path,label,split,group,notes
        clips/b.mp4,"playing drums",train,rec1,extra
        clips/a.mp4,singing,validation,rec1,
        ./clips/c.mp4,singing,test,,
        clips/gone.mp4,singing,train,,
        """);

    Dataset train = Datasets.open(Trees.settings(root.resolve("list.csv")));
    Dataset val = Datasets.open(Trees.settings(root.resolve("list.csv"), "data.split=val"));
    Dataset all = Datasets.open(Trees.settings(root.resolve("list.csv"), "data.split=all"));

    assertThat(train.layout()).isEqualTo(Layout.MANIFEST);
    assertThat(train.samples()).extracting(SampleRef::id).containsExactly("clips/b.mp4");
    assertThat(train.sample(0).label()).contains("playing drums");
    assertThat(train.sample(0).group()).isEqualTo("rec1");
    assertThat(val.sample(0).id()).isEqualTo("clips/a.mp4");
    assertThat(all.samples()).extracting(SampleRef::group).containsExactly("rec1", "rec1", "clips/c.mp4");
    assertThat(all.classNames()).containsExactly("playing drums", "singing");
    assertThat(all.missing()).isEqualTo(1);
  }

  @Test
  void jsonlManifestAndAbsolutePathsInsideTheRoot() {
    Trees.media(root, "a.wav", "sub/b.wav");
    Trees.text(root, "manifest.jsonl", """
        {"path": "a.wav", "label": "rain"}

        {"key": "%s", "label": null, "group": "g"}
        """.formatted(root.resolve("sub/b.wav").toAbsolutePath()));

    Dataset dataset = Datasets.open(Trees.settings(root));

    assertThat(dataset.layout()).isEqualTo(Layout.MANIFEST);
    assertThat(dataset.samples()).extracting(SampleRef::id).containsExactly("a.wav", "sub/b.wav");
    assertThat(dataset.sample(1).label()).isEmpty();
    assertThat(dataset.sample(1).group()).isEqualTo("g");
  }

  @Test
  void manifestEntriesEscapingTheRootAreRefusedWithFileAndLine() throws Exception {
    Path data = Files.createDirectories(root.resolve("data"));
    Trees.media(root, "outside.wav", "data/in.wav");

    Trees.text(data, "dots.csv", "path\nin.wav\n../outside.wav\n");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(data.resolve("dots.csv"))))
        .isInstanceOf(DatasetError.class)
        .hasMessageContaining("dots.csv, line 3").hasMessageContaining("escapes the dataset root");

    Trees.text(data, "absolute.csv", "path\n" + root.resolve("outside.wav").toAbsolutePath() + "\n");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(data.resolve("absolute.csv"))))
        .isInstanceOf(DatasetError.class)
        .hasMessageContaining("absolute.csv, line 2").hasMessageContaining("outside the dataset root");

    Files.createSymbolicLink(data.resolve("link.wav"), root.resolve("outside.wav"));
    Trees.text(data, "link.csv", "path\nin.wav\nlink.wav\n");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(data.resolve("link.csv"))))
        .isInstanceOf(DatasetError.class)
        .hasMessageContaining("link.csv, line 3").hasMessageContaining("symbolic link");
  }

  @Test
  void malformedManifestsAreRefusedWithFileAndLine() {
    Trees.media(root, "a.wav");
    Trees.text(root, "nopath.csv", "file,label\na.wav,x\n");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root.resolve("nopath.csv"))))
        .isInstanceOf(DatasetError.class).hasMessageContaining("nopath.csv, line 1").hasMessageContaining("'path'");

    Trees.text(root, "twice.csv", "path\na.wav\na.wav\n");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root.resolve("twice.csv"))))
        .isInstanceOf(DatasetError.class).hasMessageContaining("twice.csv, line 3")
        .hasMessageContaining("first at line 2");

    Trees.text(root, "broken.jsonl", "{\"path\": \"a.wav\"}\n{\"path\": \n");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root.resolve("broken.jsonl"))))
        .isInstanceOf(DatasetError.class).hasMessageContaining("broken.jsonl, line 2");

    Trees.text(root, "notes.txt", "hello");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root.resolve("notes.txt"))))
        .isInstanceOf(DatasetError.class).hasMessageContaining("not a manifest");
  }

  @Test
  void splitWithNoSamplesNamesTheSplitsPresent() {
    Trees.media(root, "train/a/x.mp4", "train/b/y.mp4");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root, "data.split=test")))
        .isInstanceOf(DatasetError.class).hasMessageContaining("data.split = test")
        .hasMessageContaining("[train]");
  }
}
