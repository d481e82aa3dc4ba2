package crisscross.evaluation;

import crisscross.evaluation.linear.ProbeSettings;
import crisscross.evaluation.retrieval.RetrievalSettings;
import crisscross.pipeline.config.Settings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code evaluation} section of the configuration.
 *
 * @param probe linear SVM protocol (Appendix E.1)
 * @param groupedCvFolds outer folds when a single labelled set is evaluated by grouped cross-validation
 * @param retrieval retrieval protocol (Appendix E.3)
 * @param cacheDir where extracted features are cached; empty = the caller's default
 * @param retrievalSheetQueries queries drawn on each retrieval sheet (Figures S1/S2)
 */
public record EvaluationSettings(ProbeSettings probe, int groupedCvFolds, RetrievalSettings retrieval,
    Optional<Path> cacheDir, int retrievalSheetQueries) {
  public static EvaluationSettings from(Settings settings) {
    String cache = settings.string("evaluation.cache-dir").trim();
    return new EvaluationSettings(ProbeSettings.from(settings),
        settings.integer("evaluation.grouped-cv-folds", 2, 1000),
        RetrievalSettings.from(settings),
        cache.isEmpty() ? Optional.empty() : Optional.of(Path.of(cache)),
        settings.integer("evaluation.retrieval.sheet-queries", 0, 1000));
  }
}
