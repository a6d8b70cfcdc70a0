package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  @Test
  void readsUnitsCombinationsBareSecondsAndIso() {
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationConverter.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationConverter.parse("20")).isEqualTo(Duration.ofSeconds(20));
    assertThat(DurationConverter.parse(" 2S ")).isEqualTo(Duration.ofSeconds(2));
    assertThat(DurationConverter.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
    assertThat(DurationConverter.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void refusesWhatIsNotADuration() {
    for (String bad : new String[] {"", "soon", "-5s", "5 s", "s", "10x", "PT-1S", "1m-1s"}) {
      assertThatThrownBy(() -> DurationConverter.parse(bad))
          .as(bad)
          .isInstanceOf(TypeConversionException.class)
          .hasMessageContaining("not a duration");
    }
  }

  @Test
  void formatsTheWayItReads() {
    for (String text : new String[] {"250ms", "1s", "1.5s", "1m30s", "2h", "1h0m5s"}) {
      Duration d = DurationConverter.parse(text);
      assertThat(DurationConverter.parse(DurationConverter.format(d))).as(text).isEqualTo(d);
    }
    assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(DurationConverter.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(DurationConverter.format(Duration.ofMillis(250))).isEqualTo("250ms");
  }
}
