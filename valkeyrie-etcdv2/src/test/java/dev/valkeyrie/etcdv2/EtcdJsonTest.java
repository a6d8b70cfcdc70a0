package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EtcdJsonTest {

  private static EtcdResponse response(String json) throws IOException {
    return EtcdJson.response(json.getBytes(StandardCharsets.UTF_8), 42);
  }

  private static EtcdError error(int status, String json) throws IOException {
    return EtcdJson.error(status, json.getBytes(StandardCharsets.UTF_8));
  }

  // ---- successful answers ----

  @Test
  void setAnswerGivesActionNodeAndPreviousNode() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"baz\","
                + "\"modifiedIndex\":5,\"createdIndex\":5},\"prevNode\":{\"key\":\"/foo\",\"value\":\"bar\","
                + "\"modifiedIndex\":4,\"createdIndex\":4}}");

    assertThat(r.action()).isEqualTo("set");
    assertThat(r.node()).isEqualTo(new EtcdNode("/foo", "baz", false, 5, 5, 0, null));
    assertThat(r.prevNode()).isEqualTo(new EtcdNode("/foo", "bar", false, 4, 4, 0, null));
  }

  @Test
  void etcdIndexIsTakenFromTheCallerNotTheBody() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"get\",\"node\":{\"key\":\"/a\",\"value\":\"1\","
                + "\"modifiedIndex\":3,\"createdIndex\":3}}");

    assertThat(r.etcdIndex()).isEqualTo(42);
  }

  @Test
  void answerWithoutPrevNodeHasNullPrevNode() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"create\",\"node\":{\"key\":\"/a\",\"value\":\"1\","
                + "\"modifiedIndex\":3,\"createdIndex\":3}}");

    assertThat(r.prevNode()).isNull();
  }

  @Test
  void rootListingHasNoKeyAndNoIndexes() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":[{\"key\":\"/a\","
                + "\"value\":\"1\",\"modifiedIndex\":3,\"createdIndex\":3}]}}");

    EtcdNode root = r.node();
    assertThat(root.key()).isNull();
    assertThat(root.normalizedKey()).isEmpty();
    assertThat(root.dir()).isTrue();
    assertThat(root.modifiedIndex()).isZero();
    assertThat(root.createdIndex()).isZero();
    assertThat(root.nodes()).containsExactly(new EtcdNode("/a", "1", false, 3, 3, 0, null));
  }

  @Test
  void emptyDirectoryWithoutNodesHasAnEmptyList() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"get\",\"node\":{\"key\":\"/empty\",\"dir\":true,"
                + "\"modifiedIndex\":9,\"createdIndex\":9}}");

    assertThat(r.node().dir()).isTrue();
    assertThat(r.node().value()).isNull();
    assertThat(r.node().nodes()).isEmpty();
  }

  @Test
  void nestedRecursiveListingKeepsTheTree() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"get\",\"node\":{\"key\":\"/dir\",\"dir\":true,"
                + "\"nodes\":[{\"key\":\"/dir/a\",\"dir\":true,\"nodes\":[{\"key\":\"/dir/a/x\","
                + "\"value\":\"1\",\"modifiedIndex\":7,\"createdIndex\":7}],\"modifiedIndex\":6,"
                + "\"createdIndex\":6},{\"key\":\"/dir/b\",\"value\":\"2\",\"modifiedIndex\":8,"
                + "\"createdIndex\":8}],\"modifiedIndex\":5,\"createdIndex\":5}}");

    EtcdNode dir = r.node();
    assertThat(dir.key()).isEqualTo("/dir");
    assertThat(dir.modifiedIndex()).isEqualTo(5);
    assertThat(dir.nodes()).hasSize(2);
    EtcdNode a = dir.nodes().get(0);
    assertThat(a.key()).isEqualTo("/dir/a");
    assertThat(a.dir()).isTrue();
    assertThat(a.nodes()).containsExactly(new EtcdNode("/dir/a/x", "1", false, 7, 7, 0, null));
    assertThat(dir.nodes().get(1)).isEqualTo(new EtcdNode("/dir/b", "2", false, 8, 8, 0, null));
  }

  @Test
  void nodeWithExpirationAndTtlGivesTheTtl() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"set\",\"node\":{\"key\":\"/ttl\",\"value\":\"v\","
                + "\"expiration\":\"2024-05-01T10:00:30.123456789Z\",\"ttl\":30,\"modifiedIndex\":10,"
                + "\"createdIndex\":10}}");

    assertThat(r.node()).isEqualTo(new EtcdNode("/ttl", "v", false, 10, 10, 30, null));
  }

  @Test
  void deleteEventNodeHasNoValue() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"delete\",\"node\":{\"key\":\"/foo\","
                + "\"modifiedIndex\":6,\"createdIndex\":5},\"prevNode\":{\"key\":\"/foo\",\"value\":\"bar\","
                + "\"modifiedIndex\":5,\"createdIndex\":5}}");

    assertThat(r.action()).isEqualTo("delete");
    assertThat(r.node().value()).isNull();
    assertThat(r.node().modifiedIndex()).isEqualTo(6);
    assertThat(r.prevNode().value()).isEqualTo("bar");
  }

  @Test
  void htmlEscapedCharactersAreDecoded() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"get\",\"node\":{\"key\":\"/sp/amp\\u0026eq=x\","
                + "\"value\":\"\\u003cb\\u003e\",\"modifiedIndex\":11,\"createdIndex\":11}}");

    assertThat(r.node().key()).isEqualTo("/sp/amp&eq=x");
    assertThat(r.node().value()).isEqualTo("<b>");
  }

  @Test
  void unicodeValuesAreDecoded() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"get\",\"node\":{\"key\":\"/é\",\"value\":\"日本\\ud83d\\ude00\","
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");

    assertThat(r.node().key()).isEqualTo("/é");
    assertThat(r.node().value()).isEqualTo("日本\uD83D\uDE00");
  }

  @Test
  void unknownFieldsAreIgnoredIncludingNestedObjectsAndArrays() throws IOException {
    EtcdResponse r =
        response(
            "{\"action\":\"get\",\"extra\":{\"a\":[1,{\"b\":2}],\"c\":null},"
                + "\"node\":{\"key\":\"/a\",\"future\":{\"x\":[1,2,{\"y\":null}]},\"value\":\"1\","
                + "\"tags\":[\"t1\",[\"t2\"]],\"modifiedIndex\":3,\"createdIndex\":3},"
                + "\"list\":[[],{}],\"flag\":true}");

    assertThat(r.action()).isEqualTo("get");
    assertThat(r.node()).isEqualTo(new EtcdNode("/a", "1", false, 3, 3, 0, null));
  }

  @Test
  void fieldOrderDoesNotMatter() throws IOException {
    EtcdResponse r =
        response(
            "{\"node\":{\"createdIndex\":3,\"modifiedIndex\":3,\"value\":\"1\","
                + "\"key\":\"/a\"},\"action\":\"get\"}");

    assertThat(r.action()).isEqualTo("get");
    assertThat(r.node()).isEqualTo(new EtcdNode("/a", "1", false, 3, 3, 0, null));
  }

  // ---- error answers ----

  @Test
  void errorBodyGivesCodeMessageCauseAndIndex() throws IOException {
    EtcdError e =
        error(
            404,
            "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/nokey\",\"index\":5}");

    assertThat(e).isEqualTo(new EtcdError(404, 100, "Key not found", "/nokey", 5));
    assertThat(e.describe()).contains("100").contains("Key not found").contains("/nokey");
  }

  @Test
  void historyClearedErrorIsParsed() throws IOException {
    EtcdError e =
        error(
            400,
            "{\"errorCode\":401,\"message\":\"The event in requested index is"
                + " outdated and cleared\",\"cause\":\"the requested history has been cleared [1008/4]\","
                + "\"index\":2007}");

    assertThat(e.errorCode()).isEqualTo(EtcdError.EVENT_INDEX_CLEARED);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.cause()).isEqualTo("the requested history has been cleared [1008/4]");
    assertThat(e.index()).isEqualTo(2007);
  }

  @Test
  void errorWithoutCauseHasNullCause() throws IOException {
    EtcdError e =
        error(
            401,
            "{\"errorCode\":110,\"message\":\"The request requires user"
                + " authentication\",\"index\":0}");

    assertThat(e.errorCode()).isEqualTo(EtcdError.UNAUTHORIZED);
    assertThat(e.cause()).isNull();
    assertThat(e.describe()).doesNotContain("null");
  }

  @Test
  void unknownFieldsInAnErrorAreIgnored() throws IOException {
    EtcdError e =
        error(
            500,
            "{\"extra\":{\"x\":[1]},\"errorCode\":300,\"message\":\"Raft Internal"
                + " Error\",\"index\":0}");

    assertThat(e.errorCode()).isEqualTo(EtcdError.RAFT_INTERNAL);
    assertThat(e.message()).isEqualTo("Raft Internal Error");
  }

  // ---- malformed bodies ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"action\":\"set\",\"node\":{\"key\":\"/foo\"",
        "{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"baz\"}",
        "{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":[{\"key\":\"/a\"",
        "[1,2]",
        "\"just text\"",
        "",
        "<html><body>404 page not found</body></html>",
        "{\"node\":{\"key\":\"/a\",\"value\":\"1\"}}",
        "{\"action\":\"get\"}",
        "{\"action\":\"get\",\"node\":null}"
      })
  void malformedAnswerIsAnIOException(String body) {
    assertThatThrownBy(() -> response(body)).isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"errorCode\":100,\"message\":\"Key not",
        "{}",
        "{\"index\":5}",
        "[]",
        "404 page not found"
      })
  void malformedErrorIsAnIOException(String body) {
    assertThatThrownBy(() -> error(404, body)).isInstanceOf(IOException.class);
  }
}
