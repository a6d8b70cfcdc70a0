package dev.valkeyrie.etcdv3;

/**
 * What a request is, for the retry rule and for messages: the store operation it serves and the key
 * it names.
 *
 * @param kind how it may be retried
 * @param operation the store operation, for messages ({@code "put"}, {@code "lease grant"})
 * @param key the key or directory it concerns, for messages ({@code ""} for none)
 */
record Op(Kind kind, String operation, String key) {

  /** How a request may be retried. */
  enum Kind {
    /**
     * Has no effect (Range, read-only Txn, LeaseTimeToLive, MemberList): resent to another member
     * after UNAVAILABLE, DEADLINE_EXCEEDED or a transport failure.
     */
    READ,
    /**
     * Changes the store (Put, DeleteRange, Txn with writes): resent only when it certainly was not
     * sent, or etcd said it did not apply it; otherwise its outcome is unknown.
     */
    WRITE,
    /**
     * Changes the store, but sending it twice does what sending it once does (LeaseGrant with a
     * client-chosen ID, LeaseRevoke, Authenticate): resent like a read.
     */
    IDEMPOTENT
  }

  static Op read(String operation, String key) {
    return new Op(Kind.READ, operation, key);
  }

  static Op write(String operation, String key) {
    return new Op(Kind.WRITE, operation, key);
  }

  static Op idempotent(String operation, String key) {
    return new Op(Kind.IDEMPOTENT, operation, key);
  }

  /** Whether it may be resent after it may have reached a member. */
  boolean resendable() {
    return kind != Kind.WRITE;
  }

  boolean isWrite() {
    return kind == Kind.WRITE;
  }

  /** {@code put 'a/b'}, or just the operation when there is no key. */
  String what() {
    return key.isEmpty() ? operation : operation + " '" + key + "'";
  }
}
