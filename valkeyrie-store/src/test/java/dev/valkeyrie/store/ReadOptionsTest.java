package dev.valkeyrie.store;

import static org.assertj.core.api.Assertions.assertThat;

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
        .isEqualTo(new ReadOptions(false))
        .isNotEqualTo(ReadOptions.DEFAULT);
  }
}
