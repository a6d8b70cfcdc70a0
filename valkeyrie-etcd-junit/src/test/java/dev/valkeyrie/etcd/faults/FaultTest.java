package dev.valkeyrie.etcd.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultTest {
  @Test
  void faultsAreValuesNamedForWhatTheyDo() {
    assertThat(Fault.resetAfter(100))
        .isEqualTo(Fault.resetAfter(100))
        .isNotEqualTo(Fault.resetAfter(101))
        .isNotEqualTo(Fault.stallAfter(100));
    assertThat(Fault.pass()).hasToString("PASS");
    assertThat(Fault.resetAfter(100)).hasToString("RESET_AFTER(100)");
    assertThat(Fault.trickle(1024, Duration.ofMillis(500))).hasToString("TRICKLE(1024, PT0.5S)");
    assertThat(Fault.delay(Duration.ofMillis(50))).hasToString("DELAY(PT0.05S)");
  }

  @Test
  void faultsRefuseMeaninglessParameters() {
    assertThatThrownBy(() -> Fault.resetAfter(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.stallAfter(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.trickle(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.delay(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.trickle(1, null)).isInstanceOf(NullPointerException.class);
  }
}
