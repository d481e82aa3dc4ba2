package crisscross.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark datasets, laid out as they are distributed, read with data.layout = auto. */
class PublishedLayoutsTest {
  @TempDir Path root;

  @Test
  void kineticsOfficialCsvFindsClipsAnywhereAndCountsMissingOnes() {
    Trees.text(root, "annotations/train.csv", """
        label,youtube_id,time_start,time_end,split
        "air drumming",---QUuC4vJs,3,13,train
        abseiling,--07WQ2iBlw,1,11,train
        abseiling,gone_gone_1,0,10,train
        """);
    Trees.text(root, "annotations/validate.csv", """
        label,youtube_id,time_start,time_end,split
        abseiling,0wR5jVB-WPk,417,427,val
        """);
    Trees.text(root, "annotations/test.csv", """
        youtube_id,time_start,time_end,split
        xYz_123-abc,30,40,test
        """);
    Trees.media(root, "videos/a/---QUuC4vJs_000003_000013.mp4", "videos/--07WQ2iBlw_000001_000011.mkv",
        "val/0wR5jVB-WPk_000417_000427.mp4", "test/xYz_123-abc_000030_000040.mp4", "videos/unlisted.mp4");

    Dataset train = Datasets.open(Trees.settings(root));
    Dataset val = Datasets.open(Trees.settings(root, "data.split=val"));
    Dataset test = Datasets.open(Trees.settings(root, "data.split=test"));

    assertThat(train.layout()).isEqualTo(Layout.KINETICS);
    assertThat(train.samples()).extracting(SampleRef::id)
        .containsExactly("videos/--07WQ2iBlw_000001_000011.mkv", "videos/a/---QUuC4vJs_000003_000013.mp4");
    assertThat(train.sample(1).label()).contains("air drumming");
    assertThat(train.sample(1).group()).isEqualTo("---QUuC4vJs");
    assertThat(train.missing()).isEqualTo(1);
    assertThat(train.classNames()).containsExactly("abseiling", "air drumming");
    assertThat(val.samples()).extracting(SampleRef::id).containsExactly("val/0wR5jVB-WPk_000417_000427.mp4");
    assertThat(test.sample(0).label()).isEmpty();
  }

  @Test
  void kineticsClassFoldersWhenThereIsNoCsv() {
    Trees.media(root, "train/abseiling/x_000001_000011.mp4", "train/air drumming/y_000002_000012.mp4",
        "val/abseiling/z_000003_000013.mp4");
    Dataset train = Datasets.open(Trees.settings(root, "data.layout=kinetics"));
    assertThat(train.layout()).isEqualTo(Layout.KINETICS);
    assertThat(train.samples()).extracting(s -> s.label().orElseThrow())
        .containsExactly("abseiling", "air drumming");
  }

  private void ucf101() {
    Trees.text(root, "ucfTrainTestlist/classInd.txt", "1 ApplyEyeMakeup\r\n2 HandstandPushups\r\n3 YoYo\r\n");
    Trees.text(root, "ucfTrainTestlist/trainlist01.txt", """
        ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1
        HandstandPushups/v_HandStandPushups_g08_c01.avi 2
        YoYo/v_YoYo_g09_c02.avi 3
        """);
    Trees.text(root, "ucfTrainTestlist/testlist01.txt", """
        ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi
        YoYo/v_YoYo_g01_c03.avi
        """);
    Trees.text(root, "ucfTrainTestlist/trainlist02.txt", """
        ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi 1
        YoYo/v_YoYo_g01_c03.avi 3
        """);
    Trees.text(root, "ucfTrainTestlist/testlist02.txt", """
        ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi
        HandstandPushups/v_HandStandPushups_g08_c01.avi
        YoYo/v_YoYo_g09_c02.avi
        """);
    Trees.media(root, "UCF-101/ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi",
        "UCF-101/ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi",
        "UCF-101/HandstandPushups/v_HandStandPushups_g08_c01.avi", "UCF-101/YoYo/v_YoYo_g01_c03.avi");
  }

  @Test
  void ucf101ReadsTheOfficialSplitOfTheFoldWithClassIndexOrder() {
    ucf101();
    Dataset train = Datasets.open(Trees.settings(root));
    Dataset test = Datasets.open(Trees.settings(root, "data.split=test"));
    Dataset test2 = Datasets.open(Trees.settings(root, "data.split=test", "data.fold=2"));

    assertThat(train.layout()).isEqualTo(Layout.UCF101);
    assertThat(train.classNames()).containsExactly("ApplyEyeMakeup", "HandstandPushups", "YoYo");
    assertThat(train.samples()).extracting(SampleRef::id).containsExactly(
        "UCF-101/ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi",
        "UCF-101/HandstandPushups/v_HandStandPushups_g08_c01.avi");
    assertThat(train.missing()).isEqualTo(1);
    assertThat(train.sample(1).label()).contains("HandstandPushups");
    assertThat(train.classIndex(train.sample(1))).isEqualTo(1);
    assertThat(train.sample(0).group()).isEqualTo("ApplyEyeMakeup_g08");
    assertThat(test.samples()).extracting(SampleRef::id).containsExactly(
        "UCF-101/ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi", "UCF-101/YoYo/v_YoYo_g01_c03.avi");
    assertThat(test2.size()).isEqualTo(2);
    assertThat(test2.samples()).extracting(SampleRef::id)
        .contains("UCF-101/HandstandPushups/v_HandStandPushups_g08_c01.avi");
  }

  @Test
  void ucf101RefusesAFoldItDoesNotHave() {
    ucf101();
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root, "data.fold=4")))
        .isInstanceOf(DatasetError.class).hasMessageContaining("data.fold = 4").hasMessageContaining("UCF101");
  }

  @Test
  void hmdb51MarksTrainTestAndUnused() {
    Trees.text(root, "testTrainMulti_7030_splits/brush_hair_test_split1.txt",
        "April_09_brush_hair_u_nm_np1_ba_goo_0.avi 1 \nBrushing_Hair_2_brush_hair_h_nm_np2_le_goo_0.avi 2 \n"
            + "unused_brush_hair_0.avi 0 \n");
    Trees.text(root, "testTrainMulti_7030_splits/cartwheel_test_split1.txt", "Cartwheel_0.avi 2 \n");
    Trees.text(root, "testTrainMulti_7030_splits/cartwheel_test_split2.txt", "Cartwheel_0.avi 1 \n");
    Trees.media(root, "hmdb51/brush_hair/April_09_brush_hair_u_nm_np1_ba_goo_0.avi",
        "hmdb51/brush_hair/Brushing_Hair_2_brush_hair_h_nm_np2_le_goo_0.avi",
        "hmdb51/brush_hair/unused_brush_hair_0.avi", "hmdb51/cartwheel/Cartwheel_0.avi");

    Dataset train = Datasets.open(Trees.settings(root));
    Dataset test = Datasets.open(Trees.settings(root, "data.split=test"));
    Dataset all = Datasets.open(Trees.settings(root, "data.split=all"));
    Dataset train2 = Datasets.open(Trees.settings(root, "data.fold=2"));

    assertThat(train.layout()).isEqualTo(Layout.HMDB51);
    assertThat(train.samples()).extracting(SampleRef::id)
        .containsExactly("hmdb51/brush_hair/April_09_brush_hair_u_nm_np1_ba_goo_0.avi");
    assertThat(test.samples()).extracting(s -> s.label().orElseThrow()).containsExactly("brush_hair", "cartwheel");
    assertThat(all.size()).isEqualTo(3);
    assertThat(all.classNames()).containsExactly("brush_hair", "cartwheel");
    assertThat(train2.samples()).extracting(SampleRef::id).containsExactly("hmdb51/cartwheel/Cartwheel_0.avi");
  }

  static void esc50(Path root) {
    Trees.text(root, "meta/esc50.csv", """
        filename,fold,target,category,esc10,src_file,take
        1-100032-A-0.wav,1,0,dog,True,100032,A
        1-100038-A-14.wav,1,14,chirping_birds,False,100038,A
        2-100648-A-43.wav,2,43,chirping_birds_typo,False,100648,A
        4-102844-A-49.wav,4,49,hand_saw,False,102844,A
        4-102844-B-49.wav,4,49,hand_saw,False,102844,B
        4-999999-A-0.wav,4,0,dog,True,999999,A
        """);
    Trees.media(root, "audio/1-100032-A-0.wav", "audio/1-100038-A-14.wav", "audio/2-100648-A-43.wav",
        "audio/4-102844-A-49.wav", "audio/4-102844-B-49.wav");
    Trees.text(root, "README.md", "ESC-50 (mini)");
  }

  @Test
  void esc50HoldsOutTheFoldAndOrdersClassesByTarget() {
    esc50(root);
    Dataset test = Datasets.open(Trees.settings(root, "data.fold=4", "data.split=test"));
    Dataset train = Datasets.open(Trees.settings(root, "data.fold=4"));
    Dataset everything = Datasets.open(Trees.settings(root, "data.fold=0"));

    assertThat(test.layout()).isEqualTo(Layout.ESC50);
    assertThat(test.samples()).extracting(SampleRef::id)
        .containsExactly("audio/4-102844-A-49.wav", "audio/4-102844-B-49.wav");
    assertThat(test.samples()).extracting(SampleRef::group).containsExactly("102844", "102844");
    assertThat(test.missing()).isEqualTo(1);
    assertThat(train.size()).isEqualTo(3);
    assertThat(test.classNames()).containsExactly("dog", "chirping_birds", "chirping_birds_typo", "hand_saw");
    assertThat(test.classIndex(test.sample(0))).isEqualTo(3);
    assertThat(everything.size()).isEqualTo(5);
    assertThat(everything.samples()).allSatisfy(s -> assertThat(s.split()).isEqualTo("train"));
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root, "data.fold=3", "data.split=test")))
        .isInstanceOf(DatasetError.class).hasMessageContaining("data.fold");
  }

  @Test
  void dcaseLabelListWithTabsOrCommas() {
    Trees.text(root, "meta.txt", "audio/a001_0_30.wav\tbeach\ta001\naudio/b020_90_120.wav\tbus\n");
    Trees.media(root, "audio/a001_0_30.wav", "audio/b020_90_120.wav", "audio/unlisted.wav");
    Dataset dataset = Datasets.open(Trees.settings(root));
    assertThat(dataset.layout()).isEqualTo(Layout.DCASE);
    assertThat(dataset.samples()).extracting(s -> s.label().orElseThrow()).containsExactly("beach", "bus");

    Trees.text(root, "meta.txt", "filename,scene_label\nb020_90_120.wav,bus\n");
    assertThat(Datasets.open(Trees.settings(root)).samples()).extracting(SampleRef::id)
        .containsExactly("audio/b020_90_120.wav");
  }

  @Test
  void dcaseClassPrefixedNamesAndFoldLists() {
    Trees.media(root, "scenes_stereo/bus01.wav", "scenes_stereo/bus02.wav", "scenes_stereo/busystreet05.wav",
        "scenes_stereo/quiet_street_10.wav");
    Dataset dataset = Datasets.open(Trees.settings(root, "data.layout=dcase"));
    assertThat(dataset.samples()).extracting(s -> s.label().orElseThrow())
        .containsExactly("bus", "bus", "busystreet", "quiet_street");
    assertThat(DcaseLayout.classPrefix("dog_bark_003")).isEqualTo("dog_bark");
    assertThat(DcaseLayout.classPrefix("rain")).isEqualTo("rain");

    Trees.text(root, "evaluation_setup/fold1_train.txt", "scenes_stereo/bus01.wav\nscenes_stereo/busystreet05.wav\n");
    Trees.text(root, "evaluation_setup/fold1_evaluate.txt", "scenes_stereo/bus02.wav\n");
    Dataset test = Datasets.open(Trees.settings(root, "data.layout=dcase", "data.split=test"));
    assertThat(test.samples()).extracting(SampleRef::id).containsExactly("scenes_stereo/bus02.wav");
    assertThat(test.sample(0).label()).contains("bus");
  }

  @Test
  void audioSetSegmentsWithTheUsualFileNamings() {
    Trees.text(root, "balanced_train_segments.csv", """
        # Segments csv created Sun Mar  5 10:54:31 2017
        # num_ytids=3, num_segs=3, num_unique_labels=3, num_positive_labels=4
        # YTID, start_seconds, end_seconds, positive_labels
        --PJHxphWEs, 30.000, 40.000, "/m/09x0r,/t/dd00088"
        --ZhevVpy1s, 50.000, 60.000, "/m/012xff"
        Y-abcdefghi, 0.000, 10.000, "/m/012xff"
        missingXXXX, 0.000, 10.000, "/m/09x0r"
        """);
    Trees.text(root, "eval_segments.csv", """
        # YTID, start_seconds, end_seconds, positive_labels
        -0RWZT-miFs, 420.000, 430.000, "/m/03v3yw,/m/0k4j"
        """);
    Trees.text(root, "class_labels_indices.csv", """
        index,mid,display_name
        0,/m/09x0r,"Speech"
        1,/m/012xff,"Toothbrush"
        2,/m/03v3yw,"Keys jangling"
        3,/m/0k4j,"Car"
        4,/t/dd00088,"Gush"
        """);
    Trees.media(root, "audio/--PJHxphWEs_30000_40000.wav", "audio/Y--ZhevVpy1s.flac", "audio/Y-abcdefghi.wav",
        "eval/-0RWZT-miFs.wav");

    Dataset train = Datasets.open(Trees.settings(root));
    Dataset test = Datasets.open(Trees.settings(root, "data.split=test"));

    assertThat(train.layout()).isEqualTo(Layout.AUDIOSET);
    assertThat(train.samples()).extracting(SampleRef::id)
        .containsExactly("audio/--PJHxphWEs_30000_40000.wav", "audio/Y--ZhevVpy1s.flac", "audio/Y-abcdefghi.wav");
    assertThat(train.samples()).extracting(s -> s.label().orElseThrow())
        .containsExactly("Speech", "Toothbrush", "Toothbrush");
    assertThat(train.sample(0).group()).isEqualTo("--PJHxphWEs");
    assertThat(train.missing()).isEqualTo(1);
    assertThat(train.classNames()).containsExactly("Speech", "Toothbrush", "Keys jangling", "Car", "Gush");
    assertThat(test.samples()).extracting(SampleRef::id).containsExactly("eval/-0RWZT-miFs.wav");
    assertThat(test.sample(0).label()).contains("Keys jangling");
  }

  @Test
  void ambiguousTreesAskForALayout() {
    esc50(root);
    ucf101();
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root)))
        .isInstanceOf(DatasetError.class)
        .hasMessageContaining("esc50 (meta/esc50.csv)")
        .hasMessageContaining("ucf101 (ucfTrainTestlist/classInd.txt)")
        .hasMessageContaining("data.layout");
    assertThat(Datasets.open(Trees.settings(root, "data.layout=esc50", "data.fold=0")).size()).isEqualTo(5);
  }

  @Test
  void aLayoutWithoutItsFilesIsAClearError() {
    Trees.media(root, "a/x.wav", "b/y.wav");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root, "data.layout=ucf101")))
        .isInstanceOf(DatasetError.class).hasMessageContaining("ucfTrainTestlist/classInd.txt");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root, "data.layout=esc50")))
        .isInstanceOf(DatasetError.class).hasMessageContaining("meta/esc50.csv");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root, "data.layout=audioset")))
        .isInstanceOf(DatasetError.class).hasMessageContaining("segment CSV");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root, "data.layout=manifest")))
        .isInstanceOf(DatasetError.class).hasMessageContaining("manifest.csv");
  }

  @Test
  void malformedListsNameFileAndLine() {
    Trees.text(root, "x_test_split1.txt", "clip.avi 7\n");
    Trees.media(root, "x/clip.avi");
    assertThatThrownBy(() -> Datasets.open(Trees.settings(root)))
        .isInstanceOf(DatasetError.class).hasMessageContaining("x_test_split1.txt, line 1");
  }
}
