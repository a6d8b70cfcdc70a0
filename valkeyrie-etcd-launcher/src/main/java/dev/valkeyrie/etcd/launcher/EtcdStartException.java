package dev.valkeyrie.etcd.launcher;

/**
 * An etcd member or cluster could not be started, or did not become ready in time. The message
 * carries the command line and the tail of the member's log.
 */
public class EtcdStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  EtcdStartException(String message) {
    super(message);
  }

  EtcdStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
