package dev.valkeyrie.etcdv3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.valkeyrie.store.InvalidKeyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key rules: the contract's, and none of v2's HTTP-encoding ones. */
class KeyTest {

  @Test
  void aLeadingAndATrailingSlashAreIgnoredAndKeysAreStoredWithoutTheLeadingSlash() {
    Key key = Key.of("/a/b/");
    assertThat(key.name()).isEqualTo("a/b");
    assertThat(key.bytes()).isEqualTo(ByteString.copyFromUtf8("a/b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"with space", "per%cent", "question?mark", "hash#tag", "été", "😀",
      "a+b", "semi;colon", "x=y&z"})
  void charactersThatOnlyHttpEncodingMindsAreStoredAsTheirUtf8Bytes(String name) {
    assertThat(Key.of("d/" + name).bytes()).isEqualTo(ByteString.copyFromUtf8("d/" + name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "   ", "a//b", "a/./b", "a/../b", "./a", "a/..", "a\u0000b",
      "a\nb", "a\u007fb", "a\ud800b"})
  void keysThatBreakTheContractsRulesAreRefused(String raw) {
    assertThatThrownBy(() -> Key.of(raw)).isInstanceOf(InvalidKeyException.class);
  }

  @Test
  void nullIsRefused() {
    assertThatThrownBy(() -> Key.of(null)).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("null");
  }

  @Test
  void aDirectoryRangesOverItsChildrenExactlyNeverTheRawPrefix() {
    Key dir = Key.directory("dir");
    assertThat(dir.childrenStart().toStringUtf8()).isEqualTo("dir/");
    assertThat(dir.childrenEnd().toStringUtf8()).isEqualTo("dir0");
    // "dirx/y" sorts after "dir0": outside the range, unlike with the raw prefix "dir".
    assertThat(ByteString.copyFromUtf8("dirx/y").toStringUtf8()).isGreaterThan("dir0");
  }

  @Test
  void theRootIsADirectoryOfEveryKeyButNotAKey() {
    assertThat(Key.directory("/").isRoot()).isTrue();
    assertThat(Key.directory("").isRoot()).isTrue();
    assertThatThrownBy(() -> Key.of("/")).isInstanceOf(InvalidKeyException.class);
  }

  @Test
  void lockSideKeysAreTheKeysBelowAKeyEndingInTheLockSuffix() {
    assertThat(Key.isLockSideKey("d/lk___lock/3ceea23388d491d8")).isTrue();
    assertThat(Key.isLockSideKey("d/my___lock")).isFalse();
    assertThat(Key.of("d/lk").lockKey().name()).isEqualTo("d/lk___lock");
  }

  @Test
  void thePrefixEndIncrementsTheLastByteThatCanBe() {
    assertThat(Key.prefixEnd(ByteString.copyFromUtf8("a/")).toStringUtf8()).isEqualTo("a0");
    assertThat(Key.prefixEnd(ByteString.copyFrom(new byte[] {'a', (byte) 0xff})))
        .isEqualTo(ByteString.copyFromUtf8("b"));
  }
}
