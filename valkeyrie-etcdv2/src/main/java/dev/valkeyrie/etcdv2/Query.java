package dev.valkeyrie.etcdv2;

/** Builds an encoded query string. etcd reads booleans with Go's ParseBool: send "true". */
final class Query {
  private final StringBuilder text = new StringBuilder();

  private Query() {}

  public static Query of() {
    return new Query();
  }

  public Query flag(String name) {
    return add(name, "true");
  }

  public Query flag(String name, boolean on) {
    return on ? flag(name) : this;
  }

  public Query add(String name, long value) {
    return add(name, Long.toString(value));
  }

  public Query add(String name, String value) {
    text.append(text.length() == 0 ? '?' : '&')
        .append(name)
        .append('=')
        .append(PercentEncoding.encode(value));
    return this;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
