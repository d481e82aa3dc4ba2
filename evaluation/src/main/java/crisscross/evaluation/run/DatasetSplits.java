package crisscross.evaluation.run;

import crisscross.evaluation.split.Fold;
import crisscross.evaluation.split.GroupedStratifiedKFold;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Dataset;
import crisscross.pipeline.source.DatasetError;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.SampleRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A downstream dataset as the protocols see it: its labelled samples (split-neutral, so that features extracted
 * once serve every split and the cache key does not depend on the split) and its train/test splits: the official
 * ones (UCF101/HMDB51 splits 1-3, ESC-50 folds 1-5, a manifest's train/test), or, when it has none with both parts
 * (a single ESC-50 fold), the folds of grouped stratified cross-validation, so that the clips of one recording
 * never straddle a split.
 *
 * @param samples every labelled sample, split "" (sorted by id; indices renumbered)
 * @param splits the train/test splits, in order
 * @param groupedCv whether {@code splits} are cross-validation folds rather than official splits
 */
public record DatasetSplits(DatasetSpec spec, List<SampleRef> samples, List<String> classNames, List<Split> splits,
    boolean groupedCv) {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetSplits.class);

  /** One train/test split by sample id. */
  public record Split(String name, Set<String> train, Set<String> test) {
    public Split {
      train = Set.copyOf(train);
      test = Set.copyOf(test);
    }
  }

  public DatasetSplits {
    samples = List.copyOf(samples);
    classNames = List.copyOf(classNames);
    splits = List.copyOf(splits);
  }

  /**
   * Opens the dataset with each of its official splits.
   *
   * @param base data settings (object storage, extensions, spool folder) the dataset is read with
   * @param cvFolds folds when grouped cross-validation is needed ({@code evaluation.grouped-cv-folds})
   * @param seed seeds the cross-validation folds exactly as {@code GroupedCrossValidation} does ({@code run.seed})
   */
  public static DatasetSplits open(DatasetSpec spec, DataSettings base, int cvFolds, long seed) {
    DataSettings data = base.withRoot(spec.root()).withLayout(spec.kind().layout()).withSplit("all");
    List<Integer> folds = spec.kind().folds().isEmpty() ? List.of(data.fold()) : spec.kind().folds();
    Map<String, SampleRef> byId = new LinkedHashMap<>();
    List<String> classNames = null;
    List<Split> splits = new ArrayList<>();
    int unlabelled = 0;
    for (int i = 0; i < folds.size(); i++) {
      int fold = folds.get(i);
      Dataset dataset;
      try {
        dataset = Datasets.open(data.withFold(fold));
      } catch (DatasetError e) {
        if (i == 0) {
          throw e;
        }
        LOG.info("{}: no {} ({})", spec.title(), spec.kind().splitName(fold), e.getMessage());
        continue;
      }
      classNames = classNames == null ? dataset.classNames() : classNames;
      Set<String> train = new LinkedHashSet<>();
      Set<String> test = new LinkedHashSet<>();
      Set<String> val = new LinkedHashSet<>();
      unlabelled = 0;
      for (SampleRef sample : dataset.samples()) {
        if (sample.label().isEmpty()) {
          unlabelled++;
          continue;
        }
        byId.putIfAbsent(sample.id(), sample);
        switch (sample.split()) {
          case "train" -> train.add(sample.id());
          case "test" -> test.add(sample.id());
          case "val" -> val.add(sample.id());
          default -> { }
        }
      }
      Set<String> held = test.isEmpty() ? val : test;
      String name = spec.kind().folds().isEmpty() ? (test.isEmpty() ? "val" : "test") : spec.kind().splitName(fold);
      Split split = new Split(name, train, held);
      boolean seen = splits.stream().anyMatch(s -> s.train().equals(split.train()) && s.test().equals(split.test()));
      if (!train.isEmpty() && !held.isEmpty() && !seen) {
        splits.add(split);
      }
    }
    if (unlabelled > 0) {
      LOG.warn("{}: {} samples have no label and are left out of the evaluation", spec.title(), unlabelled);
    }
    List<SampleRef> samples = new ArrayList<>();
    for (SampleRef sample : byId.values()) {
      samples.add(new SampleRef(samples.size(), sample.id(), sample.location(), sample.label(), "",
          sample.group()));
    }
    samples.sort(java.util.Comparator.comparing(SampleRef::id));
    for (int i = 0; i < samples.size(); i++) {
      samples.set(i, samples.get(i).withIndex(i));
    }
    if (samples.isEmpty()) {
      throw new DatasetError(spec.title() + " at " + spec.root() + " has no labelled samples to evaluate");
    }
    if (!splits.isEmpty()) {
      return new DatasetSplits(spec, samples, classNames, splits, false);
    }
    return new DatasetSplits(spec, samples, classNames, groupedFolds(samples, classNames, cvFolds, seed), true);
  }

  /** The grouped stratified folds over {@code samples}, with {@code GroupedCrossValidation}'s seed. */
  static List<Split> groupedFolds(List<SampleRef> samples, List<String> classNames, int folds, long seed) {
    Map<String, Integer> labelOf = new HashMap<>();
    for (int i = 0; i < classNames.size(); i++) {
      labelOf.put(classNames.get(i), i);
    }
    int[] labels = new int[samples.size()];
    String[] groups = new String[samples.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = labelOf.get(samples.get(i).label().orElseThrow());
      groups[i] = samples.get(i).group();
    }
    List<Split> splits = new ArrayList<>();
    for (Fold fold : GroupedStratifiedKFold.split(labels, groups, folds,
        SampleRandom.of(seed).fork("grouped-cross-validation").nextLong())) {
      Set<String> train = new LinkedHashSet<>();
      Set<String> test = new LinkedHashSet<>();
      for (int s : fold.train()) {
        train.add(samples.get(s).id());
      }
      for (int s : fold.test()) {
        test.add(samples.get(s).id());
      }
      splits.add(new Split("cv fold " + (fold.index() + 1), train, test));
    }
    return splits;
  }

  /** Samples in the training part of any split, in sample order. */
  public List<SampleRef> trainingSamples() {
    Set<String> ids = new LinkedHashSet<>();
    splits.forEach(s -> ids.addAll(s.train()));
    return samples.stream().filter(s -> ids.contains(s.id())).toList();
  }

  /** The samples of one part of a split, in sample order. */
  public List<SampleRef> select(Set<String> ids) {
    return samples.stream().filter(s -> ids.contains(s.id())).toList();
  }
}
