package crisscross.evaluation.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupedStratifiedKFoldTest {
  /** A random dataset: groups of 1..maxGroup items, each group of one class unless {@code mixed}. */
  private record Dataset(int[] labels, String[] groups, int classes, int maxGroup) {}

  private static Dataset randomDataset(SampleRandom random, int maxGroup, boolean mixed) {
    int classes = random.intBetween(2, 8);
    int groupCount = random.intBetween(6, 80);
    List<Integer> labels = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    for (int g = 0; g < groupCount; g++) {
      int size = random.intBetween(1, maxGroup);
      int label = random.nextInt(classes);
      for (int i = 0; i < size; i++) {
        labels.add(mixed && random.bernoulli(0.3) ? random.nextInt(classes) : label);
        groups.add("group-" + g);
      }
    }
    int[] shuffled = new int[labels.size()];
    for (int i = 0; i < shuffled.length; i++) {
      shuffled[i] = i;
    }
    random.shuffle(shuffled);
    int[] l = new int[shuffled.length];
    String[] s = new String[shuffled.length];
    for (int i = 0; i < shuffled.length; i++) {
      l[i] = labels.get(shuffled[i]);
      s[i] = groups.get(shuffled[i]);
    }
    return new Dataset(l, s, classes, maxGroup);
  }

  /** Every item is tested exactly once, never trained on in its own fold, and no group straddles a fold. */
  private static void assertPartitionWithoutLeaks(Dataset data, List<Fold> folds) {
    List<String> violations = new ArrayList<>();
    int[] testFoldOf = new int[data.labels().length];
    Arrays.fill(testFoldOf, -1);
    for (Fold fold : folds) {
      if (fold.test().length == 0) {
        violations.add("fold " + fold.index() + " is empty");
      }
      if (fold.train().length + fold.test().length != data.labels().length) {
        violations.add("fold " + fold.index() + " does not cover every item");
      }
      Set<String> testGroups = new HashSet<>();
      for (int i : fold.test()) {
        if (testFoldOf[i] != -1) {
          violations.add("item " + i + " tested in folds " + testFoldOf[i] + " and " + fold.index());
        }
        testFoldOf[i] = fold.index();
        testGroups.add(data.groups()[i]);
      }
      for (int i : fold.train()) {
        if (testFoldOf[i] == fold.index()) {
          violations.add("item " + i + " on both sides of fold " + fold.index());
        }
        if (testGroups.contains(data.groups()[i])) {
          violations.add("group " + data.groups()[i] + " straddles fold " + fold.index());
        }
      }
    }
    for (int i = 0; i < testFoldOf.length; i++) {
      if (testFoldOf[i] < 0) {
        violations.add("item " + i + " is in no test fold");
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void noGroupEverStraddlesAFoldOverRandomGroupStructures() {
    SampleRandom random = SampleRandom.of(20230207);
    for (int trial = 0; trial < 300; trial++) {
      Dataset data = randomDataset(random, random.intBetween(1, 7), trial % 3 == 0);
      int folds = random.intBetween(2, 6);
      List<Fold> split = GroupedStratifiedKFold.split(data.labels(), data.groups(), folds, trial);
      assertThat(split).hasSize(folds);
      assertPartitionWithoutLeaks(data, split);
    }
  }

  @Test
  void singleClassGroupsKeepEveryClassWithinOneGroupAcrossFolds() {
    SampleRandom random = SampleRandom.of(7);
    for (int trial = 0; trial < 200; trial++) {
      Dataset data = randomDataset(random, random.intBetween(1, 5), false);
      int folds = random.intBetween(2, 5);
      List<Fold> split = GroupedStratifiedKFold.split(data.labels(), data.groups(), folds, trial);
      Map<Integer, Integer> largestGroup = new HashMap<>();
      Map<String, Integer> groupSize = new HashMap<>();
      for (String g : data.groups()) {
        groupSize.merge(g, 1, Integer::sum);
      }
      for (int i = 0; i < data.labels().length; i++) {
        largestGroup.merge(data.labels()[i], groupSize.get(data.groups()[i]), Math::max);
      }
      for (int c : largestGroup.keySet()) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (Fold fold : split) {
          int count = 0;
          for (int i : fold.test()) {
            count += data.labels()[i] == c ? 1 : 0;
          }
          min = Math.min(min, count);
          max = Math.max(max, count);
        }
        assertThat(max - min).as("trial %s class %s fold counts spread", trial, c)
            .isLessThanOrEqualTo(largestGroup.get(c));
      }
    }
  }

  @Test
  void oneItemPerGroupIsPlainStratifiedKFold() {
    int[] labels = new int[103];
    String[] groups = new String[labels.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 7 == 0 ? 1 : i % 3 == 0 ? 2 : 0;
      groups[i] = "item" + i;
    }
    List<Fold> split = GroupedStratifiedKFold.split(labels, groups, 5, 3);
    for (int c = 0; c < 3; c++) {
      int min = Integer.MAX_VALUE;
      int max = 0;
      for (Fold fold : split) {
        int count = 0;
        for (int i : fold.test()) {
          count += labels[i] == c ? 1 : 0;
        }
        min = Math.min(min, count);
        max = Math.max(max, count);
      }
      assertThat(max - min).as("class %s", c).isLessThanOrEqualTo(1);
    }
    int smallest = split.stream().mapToInt(f -> f.test().length).min().orElseThrow();
    int largest = split.stream().mapToInt(f -> f.test().length).max().orElseThrow();
    assertThat(largest - smallest).isLessThanOrEqualTo(3);
  }

  @Test
  void isDeterministicForASeedAndVariesWithIt() {
    Dataset data = randomDataset(SampleRandom.of(99), 3, false);
    List<Fold> a = GroupedStratifiedKFold.split(data.labels(), data.groups(), 4, 1);
    List<Fold> b = GroupedStratifiedKFold.split(data.labels(), data.groups(), 4, 1);
    for (int f = 0; f < 4; f++) {
      assertThat(a.get(f).test()).containsExactly(b.get(f).test());
    }
    boolean differs = false;
    for (long seed = 2; seed < 12 && !differs; seed++) {
      List<Fold> c = GroupedStratifiedKFold.split(data.labels(), data.groups(), 4, seed);
      for (int f = 0; f < 4; f++) {
        differs |= !Arrays.equals(a.get(f).test(), c.get(f).test());
      }
    }
    assertThat(differs).as("other seeds give other folds").isTrue();
  }

  @Test
  void refusesMoreFoldsThanGroups() {
    assertThatThrownBy(() -> GroupedStratifiedKFold.split(new int[] {0, 1, 0, 1}, new String[] {"a", "a", "b", "b"},
        3, 1)).hasMessageContaining("3 folds from 2 groups");
    assertThatThrownBy(() -> GroupedStratifiedKFold.split(new int[] {0, 1}, new String[] {"a", "b"}, 1, 1))
        .hasMessageContaining("at least 2 folds");
  }
}
