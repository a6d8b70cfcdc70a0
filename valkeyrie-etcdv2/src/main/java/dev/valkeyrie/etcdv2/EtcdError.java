package dev.valkeyrie.etcdv2;

import org.jspecify.annotations.Nullable;

/**
 * An error answer of the keys API: {@code {"errorCode":100,"message":"Key not found",...}}.
 *
 * @param status the HTTP status it came with
 * @param index the store index etcd reported, 0 for parse, auth and raft errors
 */
record EtcdError(int status, int errorCode, String message, @Nullable String cause, long index) {

  public static final int KEY_NOT_FOUND = 100;
  public static final int TEST_FAILED = 101;
  public static final int NOT_FILE = 102;
  public static final int NOT_DIR = 104;
  public static final int NODE_EXIST = 105;
  public static final int ROOT_READ_ONLY = 107;
  public static final int DIR_NOT_EMPTY = 108;
  public static final int UNAUTHORIZED = 110;
  public static final int RAFT_INTERNAL = 300;
  public static final int LEADER_ELECT = 301;
  public static final int EVENT_INDEX_CLEARED = 401;

  /** etcd's own words, for exception messages: {@code 100 Key not found (/a)}. */
  public String describe() {
    return "etcd error " + errorCode + " " + message + (cause == null ? "" : " (" + cause + ")");
  }
}
