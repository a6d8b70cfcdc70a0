package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.spi.Ticker;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * What the parts of one store (watches, locks, keep-alives) share, made once by {@link
 * EtcdV2Store}. Holds no behaviour of its own.
 *
 * @param client ordinary requests
 * @param watchClient long polls: their own connection pool, so watches never starve requests
 * @param memberCheck asks whether a member a watch waited on in silence still serves
 * @param timer the store's timer: its tasks never block, they only start asynchronous requests
 * @param ticker the clock the timer's delays and every measured time are read on
 * @param resources whether the store is open, and what must end when it closes
 * @param user the configured user name, for messages, or {@code null}
 */
record StoreContext(
    KeysClient client,
    KeysClient watchClient,
    MemberCheck memberCheck,
    ScheduledExecutorService timer,
    Ticker ticker,
    Resources resources,
    Duration watchIdleTimeout,
    @Nullable String user) {}
