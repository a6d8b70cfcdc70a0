package dev.valkeyrie.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.WriteOptions;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The key/value contract: {@code put}, {@code get}, {@code delete} and {@code exists} on single
 * keys; overwriting; keys and values that must round-trip exactly; invalid keys and values; and a
 * closed store.
 *
 * <p>Run it from a backend module by subclassing it in {@code src/test} and implementing {@link
 * #newStore()} to open a new store on the backend under test (see {@link StoreContract}):
 *
 * <pre>{@code
 * class EtcdV2KeyValueTest extends KeyValueContract {
 *   @RegisterExtension static final EtcdClusterExtension ETCD = ...;
 *   @Override protected Store newStore() { return EtcdV2Store.open(ETCD.endpoints(), config); }
 * }
 * }</pre>
 */
public abstract class KeyValueContract extends StoreContract {

  // --- put and get ---

  @Test
  public void getReturnsTheValuePut() {
    String k = key("k");
    store().put(k, utf8("v1"));

    KVPair pair = store().get(k);

    assertThat(pair.key()).isEqualTo(k);
    assertThat(pair.valueAsString()).isEqualTo("v1");
    assertThat(pair.lastIndex()).isPositive();
  }

  @Test
  public void putOverwritesTheValue() {
    String k = key("k");
    store().put(k, utf8("v1"));
    store().put(k, utf8("v2"));

    assertThat(store().get(k).valueAsString()).isEqualTo("v2");
  }

  @Test
  public void lastIndexIncreasesWithEachOverwrite() {
    String k = key("k");
    store().put(k, utf8("v1"));
    long first = store().get(k).lastIndex();
    store().put(k, utf8("v2"));
    long second = store().get(k).lastIndex();
    store().put(k, utf8("v3"));
    long third = store().get(k).lastIndex();

    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
  }

  @Test
  public void putWithNullOptionsWritesWithTheDefaults() {
    String k = key("k");
    store().put(k, utf8("v"), null);

    assertThat(store().get(k).valueAsString()).isEqualTo("v");
  }

  @Test
  public void putCreatesMissingParents() {
    String k = key("a/b/c/k");
    store().put(k, utf8("v"));

    assertThat(store().get(k).valueAsString()).isEqualTo("v");
    assertThat(store().exists(key("a/b/c"))).isTrue();
  }

  @Test
  public void leadingSlashNamesTheSameKey() {
    String k = key("k");
    store().put("/" + k, utf8("v1"));

    assertThat(store().get(k).valueAsString()).isEqualTo("v1");
    store().put(k, utf8("v2"));
    assertThat(store().get("/" + k).valueAsString()).isEqualTo("v2");
  }

  @Test
  public void getReturnsTheKeyWithoutLeadingSlash() {
    String k = key("k");
    store().put(k, utf8("v"));

    assertThat(store().get("/" + k).key()).isEqualTo(k);
  }

  @Test
  public void getSeesAPutFromAnotherStore() {
    String k = key("k");
    openStore().put(k, utf8("from another store"));

    assertThat(store().get(k).valueAsString()).isEqualTo("from another store");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.READ_OPTIONS)
  public void getAcceptsReadOptions(ReadOptions options) {
    String k = key("k");
    store().put(k, utf8("v"));

    eventually()
        .ignoreException(KeyNotFoundException.class)
        .untilAsserted(() -> assertThat(store().get(k, options).valueAsString()).isEqualTo("v"));
  }

  @Test
  public void getOfMissingKeyThrowsKeyNotFound() {
    String k = key("missing");

    assertThatThrownBy(() -> store().get(k))
        .isInstanceOf(KeyNotFoundException.class)
        .hasMessageContaining(k);
  }

  // --- keys and values that must round-trip ---

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.SPECIAL_KEY_PATHS)
  public void keyRoundTripsExactly(String name) {
    String k = key(name);
    store().put(k, utf8("value of " + name));

    KVPair pair = store().get(k);

    assertThat(pair.key()).isEqualTo(k);
    assertThat(pair.valueAsString()).isEqualTo("value of " + name);
  }

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource(TestData.CONFUSABLE_KEYS)
  public void keysThatEncodingCouldConfuseStayApart(String special, String lookalike) {
    String specialKey = key("d/" + special);
    String lookalikeKey = key("d/" + lookalike);
    store().put(specialKey, utf8("special"));
    store().put(lookalikeKey, utf8("lookalike"));

    assertThat(store().get(specialKey).valueAsString()).isEqualTo("special");
    assertThat(store().get(lookalikeKey).valueAsString()).isEqualTo("lookalike");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.VALUES)
  public void valueRoundTripsByteExact(byte[] value) {
    String k = key("k");
    store().put(k, value);

    assertSameBytes(store().get(k).value(), value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.BINARY_VALUES)
  public void binaryValueRoundTripsByteExact(byte[] value) {
    assumeTrue(traits().valuesAnyBytes(), "values are any bytes");
    String k = key("k");
    store().put(k, value);

    assertSameBytes(store().get(k).value(), value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.BINARY_VALUES)
  public void binaryValueIsRefusedWithInvalidValueWhereValuesAreText(byte[] value) {
    assumeFalse(traits().valuesAnyBytes(), "values are UTF-8 text");
    String k = key("k");

    assertThatThrownBy(() -> store().put(k, value))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining(k);
    assertThat(store().exists(k)).isFalse();
  }

  @Test
  public void putOfAValueOverTheDeclaredLimitThrowsInvalidValueAndWritesNothing() {
    assumeTrue(traits().maxValueBytes() > 0, "a declared value limit");
    String k = key("k");
    byte[] tooLarge = new byte[Math.toIntExact(traits().maxValueBytes() + 1)];
    java.util.Arrays.fill(tooLarge, (byte) 'v');

    assertThatThrownBy(() -> store().put(k, tooLarge))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining(k);
    assertThat(store().exists(k)).isFalse();
  }

  @Test
  public void putOfNullValueThrowsInvalidValue() {
    String k = key("k");

    assertThatThrownBy(() -> store().put(k, null)).isInstanceOf(InvalidValueException.class);
    assertThat(store().exists(k)).isFalse();
  }

  // --- invalid keys ---

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.INVALID_KEYS)
  public void putOfInvalidKeyThrowsInvalidKey(UnaryOperator<String> invalidKey) {
    String k = invalidKey.apply(prefix());

    assertThatThrownBy(() -> store().put(k, utf8("v"))).isInstanceOf(InvalidKeyException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.INVALID_KEYS)
  public void getOfInvalidKeyThrowsInvalidKey(UnaryOperator<String> invalidKey) {
    String k = invalidKey.apply(prefix());

    assertThatThrownBy(() -> store().get(k)).isInstanceOf(InvalidKeyException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.INVALID_KEYS)
  public void deleteOfInvalidKeyThrowsInvalidKey(UnaryOperator<String> invalidKey) {
    String k = invalidKey.apply(prefix());

    assertThatThrownBy(() -> store().delete(k)).isInstanceOf(InvalidKeyException.class);
  }

  @Test
  public void rejectedInvalidKeyWritesNothing() {
    assertThatThrownBy(() -> store().put(key("a//b"), utf8("v")))
        .isInstanceOf(InvalidKeyException.class);

    assertThat(store().exists(prefix())).isFalse();
  }

  // --- delete and exists ---

  @Test
  public void deleteRemovesTheKey() {
    String k = key("k");
    store().put(k, utf8("v"));

    store().delete(k);

    assertThat(store().exists(k)).isFalse();
    assertThatThrownBy(() -> store().get(k)).isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  public void deleteLeavesOtherKeysAlone() {
    store().put(key("d/a"), utf8("a"));
    store().put(key("d/b"), utf8("b"));

    store().delete(key("d/a"));

    assertThat(store().get(key("d/b")).valueAsString()).isEqualTo("b");
  }

  @Test
  public void deleteOfMissingKeyThrowsKeyNotFound() {
    assertThatThrownBy(() -> store().delete(key("missing"))).isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  public void deletedKeyCanBeWrittenAgain() {
    String k = key("k");
    store().put(k, utf8("v1"));
    store().delete(k);

    store().put(k, utf8("v2"));

    assertThat(store().get(k).valueAsString()).isEqualTo("v2");
  }

  @Test
  public void existsIsTrueForAnExistingKey() {
    String k = key("k");
    store().put(k, utf8("v"));

    assertThat(store().exists(k)).isTrue();
  }

  @Test
  public void existsIsFalseForAMissingKey() {
    assertThat(store().exists(key("missing"))).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.READ_OPTIONS)
  public void existsAcceptsReadOptions(ReadOptions options) {
    String k = key("k");
    store().put(k, utf8("v"));

    eventually().until(() -> store().exists(k, options));
    assertThat(store().exists(key("missing"), options)).isFalse();
  }

  // --- a closed store ---

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.STORE_CALLS)
  public void everyCallOnAClosedStoreThrowsStoreClosed(TestData.StoreCall call) {
    String k = key("k");
    Store closed = openStore();
    closed.put(k, utf8("v"));
    closed.close();

    assertThatThrownBy(() -> call.call(closed, k, prefix())).isInstanceOf(StoreClosedException.class);
  }

  @Test
  public void closingAStoreTwiceIsHarmless() {
    Store twice = openStore();
    twice.close();

    assertThatCode(twice::close).doesNotThrowAnyException();
    assertThatThrownBy(() -> twice.exists(key("k"))).isInstanceOf(StoreClosedException.class);
  }

  @Test
  public void closingAStoreLeavesOtherStoresWorking() {
    String k = key("k");
    openStore().close();

    store().put(k, utf8("v"));

    assertThat(store().get(k).valueAsString()).isEqualTo("v");
  }

  @Test
  public void writesOfAClosedStoreStayInTheStore() {
    String k = key("k");
    Store writer = openStore();
    writer.put(k, utf8("v"), WriteOptions.DEFAULT);
    writer.close();

    assertThat(store().get(k).valueAsString()).isEqualTo("v");
  }
}
