/**
 * For backend authors: what every backend needs once and should not copy, the bounded consumer
 * queue of a watch ({@link dev.valkeyrie.store.spi.BufferedWatch}), connection-state tracking
 * ({@link dev.valkeyrie.store.spi.ConnectionMonitor}), TLS from PEM files ({@link
 * dev.valkeyrie.store.spi.PemTls}) and the clock backends read ({@link
 * dev.valkeyrie.store.spi.Ticker}). Not for applications.
 */
@NullMarked
package dev.valkeyrie.store.spi;

import org.jspecify.annotations.NullMarked;
