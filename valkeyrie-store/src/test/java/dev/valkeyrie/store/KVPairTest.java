package dev.valkeyrie.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KVPairTest {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void pairsWithTheSameKeyValueAndIndexAreEqual() {
    KVPair a = new KVPair("a/b", utf8("v"), 7);
    KVPair b = new KVPair("a/b", utf8("v"), 7);

    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
  }

  @Test
  void equalityComparesValueContentNotArrayIdentity() {
    byte[] first = {1, 2, 3};
    byte[] second = {1, 2, 3};

    assertThat(new KVPair("k", first, 1)).isEqualTo(new KVPair("k", second, 1));
  }

  @Test
  void differentValuesAreNotEqual() {
    assertThat(new KVPair("k", utf8("x"), 1)).isNotEqualTo(new KVPair("k", utf8("y"), 1));
  }

  @Test
  void differentKeysAreNotEqual() {
    assertThat(new KVPair("k1", utf8("x"), 1)).isNotEqualTo(new KVPair("k2", utf8("x"), 1));
  }

  @Test
  void differentIndexesAreNotEqual() {
    assertThat(new KVPair("k", utf8("x"), 1)).isNotEqualTo(new KVPair("k", utf8("x"), 2));
  }

  @Test
  @SuppressWarnings("EqualsIncompatibleType") // comparing with another type is the point
  void aPairIsNotEqualToNullOrAnotherType() {
    KVPair pair = new KVPair("k", utf8("x"), 1);

    assertThat(pair.equals(null)).isFalse();
    assertThat(pair.equals("k")).isFalse();
  }

  @Test
  void changingTheArrayPassedInDoesNotChangeThePair() {
    byte[] value = utf8("abc");
    KVPair pair = new KVPair("k", value, 1);

    value[0] = 'z';

    assertThat(pair.value()).isEqualTo(utf8("abc"));
  }

  @Test
  void changingTheArrayReturnedDoesNotChangeThePair() {
    KVPair pair = new KVPair("k", utf8("abc"), 1);

    pair.value()[0] = 'z';

    assertThat(pair.value()).isEqualTo(utf8("abc"));
  }

  @Test
  void eachCallToValueReturnsAFreshArray() {
    KVPair pair = new KVPair("k", utf8("abc"), 1);

    assertThat(pair.value()).isNotSameAs(pair.value());
  }

  @Test
  void nullValueBecomesEmpty() {
    KVPair pair = new KVPair("dir", null, 3);

    assertThat(pair.value()).isEmpty();
    assertThat(pair.valueAsString()).isEmpty();
  }

  @Test
  void nullValueEqualsEmptyValue() {
    assertThat(new KVPair("k", null, 1)).isEqualTo(new KVPair("k", new byte[0], 1));
  }

  @Test
  void nullKeyIsRejected() {
    assertThatThrownBy(() -> new KVPair(null, utf8("v"), 1))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key");
  }

  @Test
  void valueAsStringDecodesUtf8() {
    assertThat(new KVPair("k", utf8("héllo €"), 1).valueAsString()).isEqualTo("héllo €");
  }

  @Test
  void toStringShowsKeyTextValueAndIndex() {
    String text = new KVPair("a/b", utf8("hello"), 42).toString();

    assertThat(text).contains("a/b").contains("\"hello\"").contains("42");
  }

  @Test
  void toStringDoesNotDumpBytesThatAreNotUtf8() {
    byte[] binary = {(byte) 0xFF, (byte) 0xFE, 'Z', 'Q', 'X', (byte) 0xC0};

    String text = new KVPair("bin", binary, 1).toString();

    assertThat(text).contains("6 bytes").contains("not UTF-8");
    assertThat(text).doesNotContain("ZQX").doesNotContain("\uFFFD");
  }

  @Test
  void toStringShortensVeryLongValues() {
    String longValue = "x".repeat(10_000);

    String text = new KVPair("big", utf8(longValue), 1).toString();

    assertThat(text).hasSizeLessThan(200).contains("10000 bytes");
  }

  @Test
  void toStringOfAnEmptyValueIsEmptyQuotes() {
    assertThat(new KVPair("d", null, 1).toString()).contains("value=\"\"");
  }

  @Test
  void longValueIsCutOnACharacterBoundary() {
    // 63 ASCII characters, then an emoji (two UTF-16 chars) straddling the 64-char cut.
    String value = "a".repeat(63) + "\uD83D\uDE00" + "b".repeat(10);

    String text = new KVPair("k", utf8(value), 1).toString();

    assertThat(text.codePoints())
        .as("no half of a surrogate pair in %s", text)
        .noneMatch(cp -> Character.getType(cp) == Character.SURROGATE);
  }
}
