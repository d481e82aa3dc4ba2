package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComparePlanTest {
  private static final Set<String> KNOWN = new LinkedHashSet<>(List.of("crisscross", "xdc", "mdc"));

  private static ComparePlan plan(List<String> methods, long maxSteps, List<String> overrides) {
    return new ComparePlan(methods, "/data/train", "synthetic=/data/heldout", maxSteps, List.of(), overrides);
  }

  @Test
  void methodsAreKnownNamesInTheOrderGivenCaseAndBlanksIgnored() {
    assertThat(ComparePlan.methods(List.of("XDC", " crisscross", ""), KNOWN)).containsExactly("xdc", "crisscross");
  }

  @Test
  void anUnknownMethodIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> ComparePlan.methods(List.of("crisscross", "simclr"), KNOWN))
        .hasMessage("--methods: unknown method 'simclr'; known: crisscross, xdc, mdc");
    assertThatThrownBy(() -> ComparePlan.methods(List.of("xdc", "xdc"), KNOWN)).hasMessage(
        "--methods: xdc is named twice");
    assertThatThrownBy(() -> ComparePlan.methods(List.of(" "), KNOWN)).hasMessageContaining("at least one method");
  }

  @Test
  void keysCompareSetsItselfAreRefusedInSetNamingTheOptionToUse() {
    ComparePlan.refuseOwnKeys(List.of("optim.epochs=2", "xdc.k-video=3"));
    assertThatThrownBy(() -> ComparePlan.refuseOwnKeys(List.of("method=xdc"))).hasMessageContaining("--methods");
    assertThatThrownBy(() -> ComparePlan.refuseOwnKeys(List.of(" data.root = /x"))).hasMessageContaining("--data");
    assertThatThrownBy(() -> ComparePlan.refuseOwnKeys(List.of("checkpoint.dir=s3://b/p")))
        .hasMessageContaining("run directory");
  }

  @Test
  void differencesNameEachChangedOptionWithBothValues() {
    ComparePlan earlier = plan(List.of("crisscross", "xdc"), 4, List.of("optim.epochs=2"));

    assertThat(earlier.differences(plan(List.of("crisscross", "xdc"), 4, List.of("optim.epochs=2")))).isEmpty();
    assertThat(plan(List.of("crisscross"), -1, List.of()).differences(earlier)).containsExactly(
        "--methods (before: crisscross,xdc; now: crisscross)", "--max-steps (before: 4; now: not given)",
        "--set (before: optim.epochs=2; now: none)");
  }
}
