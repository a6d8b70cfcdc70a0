package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/**
 * Receives a watch's updates without a thread waiting in {@link Watch#take()}. Register it with
 * {@link Watch#listen}. Calls for one watch never overlap and come in order.
 *
 * @param <T> the update type
 */
@FunctionalInterface
public interface WatchListener<T> {

  /** One update. An exception thrown here is logged and does not end the watch. */
  void onUpdate(T update);

  /**
   * The last call, made exactly once, after every update: the watch has ended.
   *
   * @param cause why it ended, or {@code null} when its user closed it
   */
  default void onClose(@Nullable Throwable cause) {}
}
