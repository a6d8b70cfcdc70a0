package dev.valkeyrie.etcd.faults;

/**
 * Finds the end of an HTTP/1.1 header block ({@code \r\n\r\n}) in a stream that arrives in chunks,
 * where the four bytes may be split across reads. Not thread-safe: one per pump.
 */
final class HeaderEnd {
  private static final byte[] END = {'\r', '\n', '\r', '\n'};

  private int matched;
  private boolean found;

  /** Forgets what was seen: the next scan looks for a new header end. */
  void reset() {
    matched = 0;
    found = false;
  }

  /** Whether the header end has passed. */
  boolean found() {
    return found;
  }

  /**
   * Scans {@code buffer[from, to)}.
   *
   * @return the index just past the header end, or -1 if it is not within the range
   */
  int scan(byte[] buffer, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = buffer[i];
      if (b == END[matched]) {
        matched++;
      } else {
        // "\r\r" restarts a match at the second '\r'; no other byte can.
        matched = b == '\r' ? 1 : 0;
      }
      if (matched == END.length) {
        found = true;
        return i + 1;
      }
    }
    return -1;
  }
}
