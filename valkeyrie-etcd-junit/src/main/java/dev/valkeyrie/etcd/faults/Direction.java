package dev.valkeyrie.etcd.faults;

/** The two halves of a proxied connection. */
enum Direction {
  /** Client to server. Only blackhole and delay act on it. */
  REQUEST,
  /** Server to client. Every fault acts on it. */
  ANSWER;

  /** For thread names: {@code request}, {@code answer}. */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
