package crisscross.pipeline.sample;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How far apart in time the two views of a sample are (§4.3, Figure 4 right). Each view pairs a video segment
 * v<sub>i</sub> with an audio segment a<sub>i</sub>; the relaxation is between view 1 and view 2.
 */
public enum RelaxationMode {
  /** Both views cut from the same time window. */
  NONE,
  /** The two views of each modality overlap by {@code sampling.mild-overlap} (50 %): the paper's default. */
  MILD,
  /** The two views of each modality are adjacent: the second starts where the first ends. */
  MEDIUM,
  /** One view from the first half of the clip, the other from the second half. */
  EXTREME,
  /** Both views placed independently at random in the clip. */
  MIXED;

  /** The lower-case names accepted in {@code sampling.relaxation}. */
  public static Set<String> configNames() {
    return Arrays.stream(values()).map(RelaxationMode::configName).collect(Collectors.toUnmodifiableSet());
  }

  public static RelaxationMode fromConfigName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
