package crisscross.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import crisscross.evaluation.report.ComparisonReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code compare-state.json}: the plan of a comparison and the steps it has finished, rewritten after each one, so
 * that the same command run again skips them. A pretraining not recorded here continues from its run directory's
 * checkpoints; an evaluation not recorded here runs again (its features come from the cache).
 *
 * @param pretrained finished pretraining runs by method
 * @param evaluated finished evaluations by row name (the methods and {@link #RANDOM_INIT}), with their numbers
 */
record CompareState(ComparePlan plan, Map<String, Pretrained> pretrained,
    Map<String, ComparisonReport.Entry> evaluated) {
  static final String FILE = "compare-state.json";
  /** The row of the random-init floor. */
  static final String RANDOM_INIT = "random-init";

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);

  /**
   * A finished pretraining.
   *
   * @param runDirectory relative to the comparison's folder
   * @param checkpoint the final checkpoint's name in the run's {@code checkpoints/}
   * @param step the optimiser steps it trained
   */
  record Pretrained(String runDirectory, String checkpoint, long step) {}

  CompareState {
    pretrained = Collections.unmodifiableMap(new LinkedHashMap<>(pretrained));
    evaluated = Collections.unmodifiableMap(new LinkedHashMap<>(evaluated));
  }

  static CompareState begin(ComparePlan plan) {
    return new CompareState(plan, Map.of(), Map.of());
  }

  CompareState withPretrained(String method, Pretrained run) {
    Map<String, Pretrained> next = new LinkedHashMap<>(pretrained);
    next.put(method, run);
    return new CompareState(plan, next, evaluated);
  }

  CompareState withEvaluated(ComparisonReport.Entry entry) {
    Map<String, ComparisonReport.Entry> next = new LinkedHashMap<>(evaluated);
    next.put(entry.name(), entry);
    return new CompareState(plan, pretrained, next);
  }

  /** Finished steps out of all: a pretraining and an evaluation per method, and the floor's evaluation. */
  String progress() {
    int all = 2 * plan.methods().size() + 1;
    return (pretrained.size() + evaluated.size()) + " of " + all + " steps done";
  }

  String json() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads {@link #json()}; {@code origin} names the file in the error. */
  static CompareState fromJson(String json, String origin) {
    try {
      CompareState state = JSON.readValue(json, CompareState.class);
      if (state.plan() == null) {
        throw new UserError(origin + " holds no plan; remove it to start the comparison afresh");
      }
      return state;
    } catch (JsonProcessingException e) {
      throw new UserError(origin + " cannot be read (" + e.getOriginalMessage() + "); remove it to start the "
          + "comparison afresh", e);
    }
  }

  /** The state in {@code directory}, if a comparison was begun there. */
  static Optional<CompareState> read(Path directory) throws IOException {
    Path file = directory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
  }

  /** Writes the state into {@code directory}, atomically. */
  void write(Path directory) throws IOException {
    RunDirectory.writeAtomically(directory.resolve(FILE), json());
  }
}
