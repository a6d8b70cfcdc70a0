package dev.valkeyrie.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReadOptionsTest {

  @Test
  void defaultIsAConsistentRead() {
    assertThat(ReadOptions.DEFAULT.consistent()).isTrue();
  }

  @Test
  void builderWithNothingSetEqualsDefault() {
    assertThat(ReadOptions.builder().build()).isEqualTo(ReadOptions.DEFAULT);
  }

  @Test
  void builderCanAskForAStaleRead() {
    assertThat(ReadOptions.builder().consistent(false).build().consistent()).isFalse();
  }

  @Test
  void optionsWithTheSameSettingIsEqual() {
    assertThat(ReadOptions.builder().consistent(false).build())
        .isEqualTo(ReadOptions.builder().consistent(false).build())
        .isNotEqualTo(ReadOptions.DEFAULT);
  }

  @Test
  void watchCapacityIsTheKindsDefaultUnlessSet() {
    assertThat(ReadOptions.DEFAULT.watchCapacityOr(1024)).isEqualTo(1024);
    assertThat(ReadOptions.builder().watchCapacity(7).build().watchCapacityOr(1024)).isEqualTo(7);
  }

  @Test
  void aWatchCapacityBelowOneIsRejected() {
    assertThatThrownBy(() -> ReadOptions.builder().watchCapacity(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
