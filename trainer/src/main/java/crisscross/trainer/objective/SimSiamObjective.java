package crisscross.trainer.objective;

import crisscross.trainer.model.Modality;
import crisscross.trainer.model.View;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The CrissCross family of Table 1: the total is the mean of the chosen {@link LossGroup}s, each the mean of its
 * {@link PairTerm}s. With INTRA, SYNC and ASYNC this is Eq. 5, L = (L_intra + L_sync + L_async) / 3, which equals
 * the sum of the six pair terms over 6. Reported terms: every pair term, every group, {@code total}.
 */
public final class SimSiamObjective implements Objective {
  private final String name;
  private final List<LossGroup> groups;
  private final Set<Modality> modalities;

  public SimSiamObjective(String name, List<LossGroup> groups) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("objective " + name + " needs at least one loss group");
    }
    this.name = name;
    this.groups = List.copyOf(groups);
    EnumSet<Modality> needed = EnumSet.noneOf(Modality.class);
    for (LossGroup group : groups) {
      for (PairTerm term : group.terms()) {
        needed.add(term.first().modality());
        needed.add(term.second().modality());
      }
    }
    this.modalities = Set.copyOf(needed);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Modality> modalities() {
    return modalities;
  }

  public List<LossGroup> groups() {
    return groups;
  }

  @Override
  public List<String> termLabels() {
    List<String> labels = new java.util.ArrayList<>();
    for (LossGroup group : groups) {
      for (PairTerm term : group.terms()) {
        if (!labels.contains(term.label())) {
          labels.add(term.label());
        }
      }
    }
    for (LossGroup group : groups) {
      if (group.terms().size() > 1) {
        labels.add(group.label());
      }
    }
    return List.copyOf(labels);
  }

  @Override
  public LossGraph define(SameDiff sd, Map<View, Heads> heads) {
    Map<String, SDVariable> terms = new LinkedHashMap<>();
    Map<PairTerm, SDVariable> pairs = new LinkedHashMap<>();
    for (LossGroup group : groups) {
      for (PairTerm term : group.terms()) {
        pairs.computeIfAbsent(term, t -> pairTerm(sd, heads, t));
      }
    }
    pairs.forEach((term, value) -> terms.put(term.label(), value));
    SDVariable total = null;
    for (LossGroup group : groups) {
      SDVariable sum = null;
      for (PairTerm term : group.terms()) {
        sum = sum == null ? pairs.get(term) : sum.add(pairs.get(term));
      }
      SDVariable mean = group.terms().size() == 1 ? sum : sum.div(group.terms().size());
      if (group.terms().size() > 1) {
        terms.put(group.label(), mean);
      }
      total = total == null ? mean : total.add(mean);
    }
    total = groups.size() == 1 ? total : total.div(groups.size());
    terms.put("total", total);
    return new LossGraph(terms, total);
  }

  private static SDVariable pairTerm(SameDiff sd, Map<View, Heads> heads, PairTerm term) {
    Heads x = require(heads, term.first());
    Heads y = require(heads, term.second());
    return CosineDistance.define(sd, x.p(), y.z()).add(CosineDistance.define(sd, y.p(), x.z())).div(2.0);
  }

  private static Heads require(Map<View, Heads> heads, View view) {
    Heads h = heads.get(view);
    if (h == null) {
      throw new IllegalArgumentException("the objective needs view " + view.key() + " but the model has none");
    }
    return h;
  }
}
