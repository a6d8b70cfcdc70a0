package dev.valkeyrie.etcdv2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.valkeyrie.store.KVPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads etcd's JSON with Jackson's streaming parser: no tree is built, unknown fields are skipped,
 * and every field is treated as optional.
 */
final class EtcdJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private EtcdJson() {}

  static EtcdResponse response(byte[] body, long etcdIndex) throws IOException {
    return response(body, etcdIndex, false);
  }

  /**
   * A recursive listing: the top node without children, and every node below it read straight into
   * {@link EtcdResponse#entries} as {@code list()} presents them (lock side keys left out), in the
   * order etcd sent them. No node objects and no value strings are made for the children: a listing
   * is as large as the directory, and this is where its client-side cost was.
   */
  static EtcdResponse listing(byte[] body, long etcdIndex) throws IOException {
    return response(body, etcdIndex, true);
  }

  private static EtcdResponse response(byte[] body, long etcdIndex, boolean flat)
      throws IOException {
    List<KVPair> entries = flat ? new ArrayList<>() : List.of();
    try (JsonParser p = FACTORY.createParser(body)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT);
      String action = null;
      EtcdNode node = null;
      EtcdNode prevNode = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "action" -> action = p.getValueAsString();
          case "node" -> node = nodeOrSkip(p, value, flat ? entries : null);
          case "prevNode" -> prevNode = nodeOrSkip(p, value, null);
          default -> p.skipChildren();
        }
      }
      if (action == null || node == null) {
        throw new IOException("etcd answer has no action or node");
      }
      return new EtcdResponse(action, node, prevNode, etcdIndex, entries);
    }
  }

  static EtcdError error(int status, byte[] body) throws IOException {
    try (JsonParser p = FACTORY.createParser(body)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT);
      int code = 0;
      String message = null;
      String cause = null;
      long index = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "errorCode" -> code = p.getValueAsInt();
          case "message" -> message = p.getValueAsString();
          case "cause" -> cause = p.getValueAsString();
          case "index" -> index = p.getValueAsLong();
          default -> p.skipChildren();
        }
      }
      if (code == 0 && message == null) {
        throw new IOException("etcd error answer has no errorCode or message");
      }
      return new EtcdError(status, code, message == null ? "" : message, cause, index);
    }
  }

  /** The client URLs of every member in a {@code /v2/members} answer, in member order. */
  static List<String> memberClientUrls(byte[] body) throws IOException {
    List<String> urls = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(body)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals("members") || value != JsonToken.START_ARRAY) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String memberField = p.currentName();
            JsonToken memberValue = p.nextToken();
            if (memberField.equals("clientURLs") && memberValue == JsonToken.START_ARRAY) {
              while (p.nextToken() == JsonToken.VALUE_STRING) {
                urls.add(p.getText());
              }
            } else {
              p.skipChildren();
            }
          }
        }
      }
    }
    return urls;
  }

  private static @Nullable EtcdNode nodeOrSkip(
      JsonParser p, JsonToken token, @Nullable List<KVPair> flatChildren) throws IOException {
    if (token == JsonToken.START_OBJECT) {
      return node(p, flatChildren);
    }
    p.skipChildren();
    return null;
  }

  /**
   * @param flatChildren where the children go as pairs, or {@code null} to keep the tree
   */
  private static EtcdNode node(JsonParser p, @Nullable List<KVPair> flatChildren)
      throws IOException {
    @Nullable String key = null;
    @Nullable String value = null;
    boolean dir = false;
    long created = 0;
    long modified = 0;
    long ttl = 0;
    @Nullable List<EtcdNode> nodes = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken token = p.nextToken();
      switch (field) {
        case "key" -> key = p.getValueAsString();
        case "value" -> value = p.getValueAsString();
        case "dir" -> dir = token == JsonToken.VALUE_TRUE;
        case "createdIndex" -> created = p.getValueAsLong();
        case "modifiedIndex" -> modified = p.getValueAsLong();
        case "ttl" -> ttl = p.getValueAsLong();
        case "nodes" -> {
          if (token == JsonToken.START_ARRAY && flatChildren != null) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              flatEntry(p, flatChildren);
            }
          } else if (token == JsonToken.START_ARRAY) {
            nodes = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
              nodes.add(node(p, null));
            }
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    // Empty directories come without "nodes".
    return new EtcdNode(key, value, dir, created, modified, ttl, nodes == null ? List.of() : nodes);
  }

  /** One node below a listed directory, and everything below it, as pairs. */
  private static void flatEntry(JsonParser p, List<KVPair> into) throws IOException {
    int first = into.size();
    String key = "";
    byte[] value = null;
    long modified = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken token = p.nextToken();
      switch (field) {
        case "key" -> key = token == JsonToken.VALUE_STRING ? normalizedKey(p) : "";
        case "value" -> value = token == JsonToken.VALUE_STRING ? utf8(p) : null;
        case "modifiedIndex" -> modified = p.getValueAsLong();
        case "nodes" -> {
          if (token == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              flatEntry(p, into);
            }
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    if (Listing.isLockKey(key)) {
      into.subList(first, into.size()).clear();
    } else {
      // KVPair stores an absent value as empty; passing that here keeps NullAway able to see it.
      into.add(new KVPair(key, value == null ? new byte[0] : value, modified));
    }
  }

  /**
   * The current string as a key in the store's form, as {@link KeyPath#fromEtcd} makes it, but from
   * the parser's characters: one string per entry instead of two.
   */
  private static String normalizedKey(JsonParser p) throws IOException {
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    if (length > 0 && chars[offset] == '/') {
      return new String(chars, offset + 1, length - 1);
    }
    return new String(chars, offset, length);
  }

  /** The current string as UTF-8, without an intermediate String when it is ASCII. */
  private static byte[] utf8(JsonParser p) throws IOException {
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      char c = chars[offset + i];
      if (c >= 0x80) {
        return new String(chars, offset, length).getBytes(StandardCharsets.UTF_8);
      }
      bytes[i] = (byte) c;
    }
    return bytes;
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken expected)
      throws IOException {
    if (actual != expected) {
      throw new IOException(
          "expected " + expected + " but found " + actual + " at " + p.currentLocation());
    }
  }
}
