package dev.valkeyrie.etcdv3.migration;

/** One write of a transaction. Keys are names as the v3 backend takes them. */
public sealed interface V3Write {

  /** The key the write names, for batching and messages. */
  String key();

  /** The bytes it adds to a request, roughly (key, value and framing). */
  int size();

  /** Writes {@code value} under {@code key}, on {@code lease} (0: none, which detaches a lease). */
  @SuppressWarnings("ArrayRecordComponent") // the bytes to write, carried as given
  record Put(String key, byte[] value, long lease) implements V3Write {
    @Override
    public int size() {
      return key.length() * 3 + value.length + 24;
    }
  }

  /** Writes the empty value under {@code key} only when the key does not exist: a directory. */
  record PutIfAbsent(String key) implements V3Write {
    @Override
    public int size() {
      return key.length() * 6 + 40;
    }
  }

  /** Deletes {@code key}, if it exists. */
  record Delete(String key) implements V3Write {
    @Override
    public int size() {
      return key.length() * 3 + 12;
    }
  }

  /** Deletes the key {@code key} and every key below it ({@code [key/, key0)}). */
  record DeleteTree(String key) implements V3Write {
    @Override
    public int size() {
      return key.length() * 9 + 24;
    }
  }
}
