package dev.valkeyrie.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WriteOptionsTest {

  @Test
  void defaultIsAPlainKeyWithoutTtlOrKeepAlive() {
    assertThat(WriteOptions.DEFAULT.isDir()).isFalse();
    assertThat(WriteOptions.DEFAULT.ttl()).isEqualTo(Duration.ZERO);
    assertThat(WriteOptions.DEFAULT.keepAlive()).isFalse();
    assertThat(WriteOptions.DEFAULT.hasTtl()).isFalse();
  }

  @Test
  void builderWithNothingSetEqualsDefault() {
    assertThat(WriteOptions.builder().build()).isEqualTo(WriteOptions.DEFAULT);
  }

  @Test
  void builderKeepsEverySetting() {
    WriteOptions options =
        WriteOptions.builder().isDir(true).ttl(Duration.ofSeconds(30)).keepAlive(true).build();

    assertThat(options.isDir()).isTrue();
    assertThat(options.ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.keepAlive()).isTrue();
  }

  @Test
  void hasTtlIsTrueForAPositiveTtl() {
    assertThat(WriteOptions.builder().ttl(Duration.ofMillis(1)).build().hasTtl()).isTrue();
  }

  @Test
  void negativeTtlIsRejected() {
    assertThatThrownBy(() -> WriteOptions.builder().ttl(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void keepAliveWithoutTtlIsRejected() {
    assertThatThrownBy(() -> WriteOptions.builder().keepAlive(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keepAlive");
  }

  @Test
  void keepAliveWithTtlIsAccepted() {
    WriteOptions options =
        WriteOptions.builder().ttl(Duration.ofSeconds(5)).keepAlive(true).build();

    assertThat(options.keepAlive()).isTrue();
    assertThat(options.hasTtl()).isTrue();
  }

  @Test
  void nullTtlIsRejected() {
    assertThatThrownBy(() -> WriteOptions.builder().ttl(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void optionsWithTheSameSettingsAreEqual() {
    WriteOptions a = WriteOptions.builder().isDir(true).ttl(Duration.ofSeconds(3)).build();
    WriteOptions b = WriteOptions.builder().ttl(Duration.ofSeconds(3)).isDir(true).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }
}
