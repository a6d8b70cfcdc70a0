package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UpdatesTest {
  private static KeyEvent event(KeyEvent.Kind kind, String value) {
    return new KeyEvent(kind, new KVPair("k", value.getBytes(StandardCharsets.UTF_8), 7));
  }

  @Test
  void everyEventKindHasItsUpdate() {
    assertThat(Updates.of(event(KeyEvent.Kind.CURRENT, "v")).kind()).isEqualTo(Update.Kind.CURRENT);
    assertThat(Updates.of(event(KeyEvent.Kind.CREATED, "v")).kind()).isEqualTo(Update.Kind.CREATE);
    assertThat(Updates.of(event(KeyEvent.Kind.MODIFIED, "")).kind()).isEqualTo(Update.Kind.MODIFY);
    assertThat(Updates.of(event(KeyEvent.Kind.DELETED, "")).kind()).isEqualTo(Update.Kind.DELETE);
    assertThat(Updates.of(event(KeyEvent.Kind.EXPIRED, "")).kind()).isEqualTo(Update.Kind.EXPIRE);
  }

  @Test
  void theKeyValueAndIndexAreKept() {
    Update update = Updates.of(event(KeyEvent.Kind.MODIFIED, "v2"));

    assertThat(update.pair().key()).isEqualTo("k");
    assertThat(update.pair().valueAsString()).isEqualTo("v2");
    assertThat(update.pair().lastIndex()).isEqualTo(7);
  }

  @Test
  void onlyDeleteAndExpireAreRemovals() {
    assertThat(Update.Kind.values())
        .filteredOn(Update.Kind::isRemoval)
        .containsExactly(Update.Kind.DELETE, Update.Kind.EXPIRE);
  }
}
