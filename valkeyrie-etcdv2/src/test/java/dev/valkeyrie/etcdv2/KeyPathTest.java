package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.InvalidKeyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPathTest {

  /** The longest key of plain ASCII letters whose path still fits MAX_PATH_BYTES. */
  private static final String LONGEST_KEY =
      "k".repeat(KeyPath.MAX_PATH_BYTES - "/v2/keys/".length());

  private static String pathOf(String key) {
    return KeyPath.of(key).path();
  }

  // ---- normalisation ----

  @Test
  void leadingSlashIsIgnored() {
    assertThat(KeyPath.of("/a/b")).isEqualTo(KeyPath.of("a/b"));
  }

  @Test
  void trailingSlashIsIgnored() {
    assertThat(KeyPath.of("a/b/")).isEqualTo(KeyPath.of("a/b"));
  }

  @Test
  void resultKeyHasNoLeadingOrTrailingSlash() {
    assertThat(KeyPath.of("/a/b/").key()).isEqualTo("a/b");
  }

  @Test
  void encodedPathBeginsWithV2Keys() {
    assertThat(pathOf("a/b")).isEqualTo("/v2/keys/a/b");
  }

  // ---- percent-encoding ----

  @Test
  void unreservedCharactersStayLiteral() {
    assertThat(pathOf("AZaz09-._~")).isEqualTo("/v2/keys/AZaz09-._~");
  }

  @Test
  void slashesBetweenSegmentsStayLiteral() {
    assertThat(pathOf("a b/c d")).isEqualTo("/v2/keys/a%20b/c%20d");
  }

  @Test
  void spaceIsPercentEncoded() {
    assertThat(pathOf("a b")).isEqualTo("/v2/keys/a%20b");
  }

  @Test
  void plusIsPercentEncoded() {
    assertThat(pathOf("a+b")).isEqualTo("/v2/keys/a%2Bb");
  }

  @Test
  void percentIsPercentEncoded() {
    assertThat(pathOf("100%")).isEqualTo("/v2/keys/100%25");
  }

  @Test
  void questionMarkIsPercentEncoded() {
    assertThat(pathOf("a?b")).isEqualTo("/v2/keys/a%3Fb");
  }

  @Test
  void hashIsPercentEncoded() {
    assertThat(pathOf("a#b")).isEqualTo("/v2/keys/a%23b");
  }

  @Test
  void ampersandIsPercentEncoded() {
    assertThat(pathOf("a&b=c")).isEqualTo("/v2/keys/a%26b%3Dc");
  }

  @Test
  void unicodeIsEncodedAsUtf8Bytes() {
    assertThat(pathOf("é/日/\uD83D\uDE00")).isEqualTo("/v2/keys/%C3%A9/%E6%97%A5/%F0%9F%98%80");
  }

  @Test
  void literalEncodedSlashInAKeyIsEncodedAgain() {
    assertThat(pathOf("a%2Fb")).isEqualTo("/v2/keys/a%252Fb");
    assertThat(KeyPath.of("a%2Fb").key()).isEqualTo("a%2Fb");
  }

  @Test
  void dotsInsideASegmentAreAllowed() {
    assertThat(pathOf("a/.hidden/.../b.")).isEqualTo("/v2/keys/a/.hidden/.../b.");
  }

  // ---- rejected keys ----

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> KeyPath.of(null))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("null");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a//b", "a/./b", "a/../b", ".", "..", "//", "//a", "a//", "a/.", "./a", "a/..", "../a"
      })
  void keysThatPathCleaningWouldChangeAreRejectedNamingTheKey(String key) {
    assertThatThrownBy(() -> KeyPath.of(key))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("'" + key + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "   ", "\t", "/ /"})
  void blankKeysAreRejected(String key) {
    assertThatThrownBy(() -> KeyPath.of(key)).isInstanceOf(InvalidKeyException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\u0000b", "a\rb", "a\u001Fb", "a\u007Fb"})
  void controlCharactersAreRejected(String key) {
    assertThatThrownBy(() -> KeyPath.of(key))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("control character");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\uD83Db", "a\uDE00b", "a\uD83D", "\uDE00\uD83D"})
  void unpairedSurrogatesAreRejected(String key) {
    assertThatThrownBy(() -> KeyPath.of(key))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void theLongestKeyThatFitsIsAccepted() {
    assertThat(KeyPath.of(LONGEST_KEY).path()).hasSize(KeyPath.MAX_PATH_BYTES);
  }

  @Test
  void aKeyWhosePathIsOverTheLimitIsRejected() {
    assertThatThrownBy(() -> KeyPath.of(LONGEST_KEY + "k"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("too long")
        .hasMessageContaining("kkkk");
  }

  @Test
  void theLimitCountsEncodedBytesNotCharacters() {
    // 650 characters would fit, but each "é" encodes to "%C3%A9": 9 + 650 * 6 > 3900 bytes
    assertThatThrownBy(() -> KeyPath.of("é".repeat(650)))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("too long");
  }

  // ---- the root ----

  @Test
  void emptyDirectoryNamesTheRoot() {
    KeyPath root = KeyPath.directory("");

    assertThat(root.isRoot()).isTrue();
    assertThat(root.key()).isEmpty();
    assertThat(root.path()).isEqualTo("/v2/keys/");
  }

  @Test
  void slashDirectoryNamesTheRoot() {
    assertThat(KeyPath.directory("/")).isEqualTo(KeyPath.directory(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/"})
  void keyRefusesTheRoot(String key) {
    assertThatThrownBy(() -> KeyPath.of(key))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("root");
  }

  @Test
  void aDirectoryIsValidatedLikeAKey() {
    assertThatThrownBy(() -> KeyPath.directory("a//b"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("directory 'a//b'");
  }

  @Test
  void aNamedDirectoryIsNotTheRoot() {
    assertThat(KeyPath.directory("/d/").isRoot()).isFalse();
    assertThat(KeyPath.directory("/d/").key()).isEqualTo("d");
  }

  // ---- lock key, contains, fromEtcd ----

  @Test
  void lockKeyAppendsTheLockSuffix() {
    KeyPath lock = KeyPath.of("/locks/job/").lockKey();

    assertThat(lock.key()).isEqualTo("locks/job___lock");
    assertThat(lock.path()).isEqualTo("/v2/keys/locks/job___lock");
  }

  @Test
  void everyAcceptedKeyHasALockKey() {
    KeyPath longest = KeyPath.of(LONGEST_KEY);

    assertThat(longest.lockKey().key()).isEqualTo(LONGEST_KEY + KeyPath.LOCK_SUFFIX);
  }

  @Test
  void aDirectoryContainsItselfAndWhatIsBelowIt() {
    KeyPath d = KeyPath.directory("d/a");

    assertThat(d.contains("d/a")).isTrue();
    assertThat(d.contains("d/a/b")).isTrue();
    assertThat(d.contains("d/a/b/c")).isTrue();
  }

  @Test
  void aDirectoryDoesNotContainSiblingsWithTheSamePrefix() {
    KeyPath d = KeyPath.directory("d/a");

    assertThat(d.contains("d/ab")).isFalse();
    assertThat(d.contains("d")).isFalse();
    assertThat(d.contains("e/a")).isFalse();
  }

  @Test
  void theRootContainsEverything() {
    assertThat(KeyPath.directory("").contains("anything/at/all")).isTrue();
  }

  @Test
  void fromEtcdDropsTheLeadingSlash() {
    assertThat(KeyPath.fromEtcd("/a/b")).isEqualTo("a/b");
  }

  @Test
  void fromEtcdKeepsAKeyWithoutLeadingSlash() {
    assertThat(KeyPath.fromEtcd("a/b")).isEqualTo("a/b");
  }

  @Test
  void fromEtcdTurnsTheRootsMissingKeyIntoEmpty() {
    assertThat(KeyPath.fromEtcd(null)).isEmpty();
  }
}
