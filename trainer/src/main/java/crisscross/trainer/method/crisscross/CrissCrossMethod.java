package crisscross.trainer.method.crisscross;

import crisscross.trainer.method.Method;
import crisscross.trainer.model.GraphBuilder;
import crisscross.trainer.model.HeadGraph;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.View;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.optim.ParameterGroup;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * CrissCross (§3) and every loss of Table 1: SimSiam heads on two views per modality (a projector per modality, a
 * predictor per modality or one common to both, Table 3) and the mean of the chosen {@link LossGroup}s, each the
 * mean of its {@link PairTerm}s. With INTRA, SYNC and ASYNC this is Eq. 5, L = (L_intra + L_sync + L_async) / 3.
 * Reported terms: every pair term and every group of more than one term. Stateless.
 */
public final class CrissCrossMethod implements Method {
  public static final String NAME = "crisscross";
  static final String COMMON_PREDICTOR = "common_predictor";

  private final CrissCrossSettings settings;
  private final List<LossGroup> groups;
  private final Set<Modality> modalities;
  private final Map<Modality, ParameterGroup> encoders = new LinkedHashMap<>();
  private final Map<Modality, ParameterGroup> predictors = new LinkedHashMap<>();
  private final ParameterGroup commonPredictor;

  public CrissCrossMethod(CrissCrossSettings settings) {
    this.settings = settings;
    this.groups = settings.groups();
    EnumSet<Modality> needed = EnumSet.noneOf(Modality.class);
    for (LossGroup group : groups) {
      for (PairTerm term : group.terms()) {
        needed.add(term.first().modality());
        needed.add(term.second().modality());
      }
    }
    this.modalities = Set.copyOf(needed);
    for (Modality m : needed) {
      encoders.put(m, ParameterGroup.scheduled(m.prefix() + "_encoder", settings.baseLr(), settings.finalLr()));
      predictors.put(m, ParameterGroup.constant(m.prefix() + "_predictor", settings.predictorLr()));
    }
    this.commonPredictor = ParameterGroup.constant("predictor", settings.predictorLr());
  }

  /** Table 1's row {@code loss} with the paper's heads at the rates of {@code optim}. */
  public static CrissCrossMethod of(String loss, OptimSettings optim) {
    return new CrissCrossMethod(CrissCrossSettings.of(loss, optim));
  }

  public CrissCrossSettings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String variant() {
    return settings.loss();
  }

  public Set<Modality> modalities() {
    return modalities;
  }

  @Override
  public List<View> views() {
    return View.of(modalities, 2);
  }

  @Override
  public List<String> termLabels() {
    List<String> labels = new ArrayList<>();
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
  public ParameterGroup group(String parameterName) {
    String module = parameterName.substring(0, Math.max(0, parameterName.indexOf('.')));
    for (Modality m : modalities) {
      if (module.equals(m.prefix() + "_backbone") || module.equals(m.prefix() + "_projector")) {
        return encoders.get(m);
      }
      if (module.equals(m.prefix() + "_predictor") && settings.predictor() == CrissCrossSettings.Predictor.SEPARATE) {
        return predictors.get(m);
      }
    }
    if (module.equals(COMMON_PREDICTOR) && settings.predictor() == CrissCrossSettings.Predictor.COMMON) {
      return commonPredictor;
    }
    throw new IllegalArgumentException("parameter '" + parameterName + "' belongs to no group of CrissCross "
        + settings.loss());
  }

  @Override
  public List<ParameterGroup> groups() {
    List<ParameterGroup> all = new ArrayList<>();
    for (Modality m : Modality.values()) {
      if (modalities.contains(m)) {
        all.add(encoders.get(m));
        if (settings.predictor() == CrissCrossSettings.Predictor.SEPARATE) {
          all.add(predictors.get(m));
        }
      }
    }
    if (settings.predictor() == CrissCrossSettings.Predictor.COMMON) {
      all.add(commonPredictor);
    }
    return List.copyOf(all);
  }

  @Override
  public HeadGraph heads(ModelSettings model) {
    return new Heads(model);
  }

  /** Projector output z and predictor output p of every view, then the loss of Table 1's row. */
  private final class Heads implements HeadGraph {
    private final ModelSettings model;

    Heads(ModelSettings model) {
      this.model = model;
    }

    @Override
    public Map<String, SDVariable> view(GraphBuilder g, View view, SDVariable features, int width) {
      String prefix = view.modality().prefix();
      SDVariable z = settings.projectorLayers() == 3
          ? Projectors.threeLayer(g, prefix + "_projector", features, width, model.projectorHidden(),
              model.projectorOut())
          : Projectors.twoLayer(g, prefix + "_projector", features, width, model.projectorHidden(),
              model.projectorOut());
      SDVariable p = settings.predictor() == CrissCrossSettings.Predictor.SEPARATE
          ? Projectors.predictor(g, prefix + "_predictor", z, model.projectorOut(), model.predictorHidden())
          : Projectors.predictor(g, COMMON_PREDICTOR, crisscross.trainer.method.LossOps.l2Normalize(g.sameDiff(), z), model.projectorOut(),
              model.predictorHidden());
      Map<String, SDVariable> out = new LinkedHashMap<>();
      out.put("z", z);
      out.put("p", p);
      return out;
    }

    @Override
    public LossGraph loss(GraphBuilder g, Map<View, Map<String, SDVariable>> views) {
      SameDiff sd = g.sameDiff();
      Map<String, SDVariable> terms = new LinkedHashMap<>();
      Map<PairTerm, SDVariable> pairs = new LinkedHashMap<>();
      for (LossGroup group : groups) {
        for (PairTerm term : group.terms()) {
          pairs.computeIfAbsent(term, t -> pairTerm(sd, views, t));
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
      return new LossGraph(terms, total);
    }

    @Override
    public List<String> monitoredOutputs() {
      return List.of("z");
    }
  }

  private static SDVariable pairTerm(SameDiff sd, Map<View, Map<String, SDVariable>> views, PairTerm term) {
    Map<String, SDVariable> x = require(views, term.first());
    Map<String, SDVariable> y = require(views, term.second());
    return CosineDistance.define(sd, x.get("p"), y.get("z")).add(CosineDistance.define(sd, y.get("p"), x.get("z")))
        .div(2.0);
  }

  private static Map<String, SDVariable> require(Map<View, Map<String, SDVariable>> views, View view) {
    Map<String, SDVariable> heads = views.get(view);
    if (heads == null) {
      throw new IllegalArgumentException("the loss needs view " + view.key() + " but the graph has none");
    }
    return heads;
  }
}
