package dev.valkeyrie.etcdv2.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads etcd's JSON with Jackson's streaming parser: no tree is built, unknown fields are skipped,
 * and every field is treated as optional.
 */
final class EtcdJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private EtcdJson() {}

  static EtcdResponse response(byte[] body, long etcdIndex) throws IOException {
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
          case "node" -> node = nodeOrSkip(p, value);
          case "prevNode" -> prevNode = nodeOrSkip(p, value);
          default -> p.skipChildren();
        }
      }
      if (action == null || node == null) {
        throw new IOException("etcd answer has no action or node");
      }
      return new EtcdResponse(action, node, prevNode, etcdIndex);
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

  private static EtcdNode nodeOrSkip(JsonParser p, JsonToken token) throws IOException {
    if (token == JsonToken.START_OBJECT) {
      return node(p);
    }
    p.skipChildren();
    return null;
  }

  private static EtcdNode node(JsonParser p) throws IOException {
    String key = null;
    String value = null;
    boolean dir = false;
    long created = 0;
    long modified = 0;
    long ttl = 0;
    List<EtcdNode> nodes = null;
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
          if (token == JsonToken.START_ARRAY) {
            nodes = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
              nodes.add(node(p));
            }
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return new EtcdNode(key, value, dir, created, modified, ttl, nodes);
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken expected)
      throws IOException {
    if (actual != expected) {
      throw new IOException(
          "expected " + expected + " but found " + actual + " at " + p.currentLocation());
    }
  }
}
