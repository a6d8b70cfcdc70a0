package dev.valkeyrie.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockOptionsTest {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void defaultHasEmptyValueTwentySecondTtlAndKeepsTheKey() {
    assertThat(LockOptions.DEFAULT.value()).isEmpty();
    assertThat(LockOptions.DEFAULT.ttl()).isEqualTo(Duration.ofSeconds(20));
    assertThat(LockOptions.DEFAULT_TTL).isEqualTo(Duration.ofSeconds(20));
    assertThat(LockOptions.DEFAULT.deleteOnUnlock()).isFalse();
  }

  @Test
  void builderWithNothingSetEqualsDefault() {
    assertThat(LockOptions.builder().build()).isEqualTo(LockOptions.DEFAULT);
  }

  @Test
  void builderKeepsEverySetting() {
    LockOptions options =
        LockOptions.builder()
            .value(utf8("holder-1"))
            .ttl(Duration.ofSeconds(5))
            .deleteOnUnlock(true)
            .build();

    assertThat(options.value()).isEqualTo(utf8("holder-1"));
    assertThat(options.ttl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.deleteOnUnlock()).isTrue();
  }

  @Test
  void ttlUnderOneSecondIsRejected() {
    assertThatThrownBy(() -> LockOptions.builder().ttl(Duration.ofMillis(999)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 second");
  }

  @Test
  void zeroTtlIsRejected() {
    assertThatThrownBy(() -> LockOptions.builder().ttl(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ttlOfExactlyOneSecondIsAccepted() {
    assertThat(LockOptions.builder().ttl(Duration.ofSeconds(1)).build().ttl())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void nullValueIsRejected() {
    assertThatThrownBy(() -> LockOptions.builder().value(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void changingTheArrayGivenToTheBuilderDoesNotChangeTheOptions() {
    byte[] value = utf8("abc");
    LockOptions.Builder builder = LockOptions.builder().value(value);

    value[0] = 'z';

    assertThat(builder.build().value()).isEqualTo(utf8("abc"));
  }

  @Test
  void changingTheArrayReturnedDoesNotChangeTheOptions() {
    LockOptions options = LockOptions.builder().value(utf8("abc")).build();

    options.value()[0] = 'z';

    assertThat(options.value()).isEqualTo(utf8("abc"));
  }

  @Test
  void optionsWithEqualValueContentAreEqual() {
    LockOptions a = LockOptions.builder().value(utf8("v")).build();
    LockOptions b = LockOptions.builder().value(utf8("v")).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void optionsWithDifferentValuesAreNotEqual() {
    assertThat(LockOptions.builder().value(utf8("v1")).build())
        .isNotEqualTo(LockOptions.builder().value(utf8("v2")).build());
  }

  @Test
  void optionsWithDifferentTtlOrDeleteOnUnlockAreNotEqual() {
    assertThat(LockOptions.builder().ttl(Duration.ofSeconds(2)).build())
        .isNotEqualTo(LockOptions.DEFAULT);
    assertThat(LockOptions.builder().deleteOnUnlock(true).build())
        .isNotEqualTo(LockOptions.DEFAULT);
  }

  @Test
  void toStringShowsTextValueButNotBinaryBytes() {
    assertThat(LockOptions.builder().value(utf8("me")).build().toString()).contains("\"me\"");
    assertThat(
            LockOptions.builder().value(new byte[] {(byte) 0xFF, 'Z', 'Q', 'X'}).build().toString())
        .contains("4 bytes, not UTF-8")
        .doesNotContain("ZQX");
  }
}
