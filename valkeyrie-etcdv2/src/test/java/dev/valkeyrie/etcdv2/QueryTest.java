package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryTest {

  @Test
  void emptyQueryIsEmptyString() {
    assertThat(Query.of().toString()).isEmpty();
  }

  @Test
  void firstParameterStartsWithQuestionMark() {
    assertThat(Query.of().add("a", "b").toString()).isEqualTo("?a=b");
  }

  @Test
  void furtherParametersAreJoinedWithAmpersand() {
    assertThat(Query.of().add("a", "b").add("c", "d").toString()).isEqualTo("?a=b&c=d");
  }

  @Test
  void flagIsSentAsTrue() {
    assertThat(Query.of().flag("recursive").toString()).isEqualTo("?recursive=true");
  }

  @Test
  void flagOnAddsTheFlag() {
    assertThat(Query.of().flag("sorted", true).toString()).isEqualTo("?sorted=true");
  }

  @Test
  void flagOffAddsNothing() {
    assertThat(Query.of().flag("quorum", false).toString()).isEmpty();
  }

  @Test
  void flagOffBetweenParametersLeavesNoTrace() {
    assertThat(Query.of().add("a", "1").flag("b", false).add("c", "2").toString())
        .isEqualTo("?a=1&c=2");
  }

  @Test
  void numbersAreWrittenInDecimal() {
    assertThat(Query.of().add("waitIndex", 18446744073709551L).toString())
        .isEqualTo("?waitIndex=18446744073709551");
  }

  @Test
  void valuesArePercentEncoded() {
    assertThat(Query.of().add("prevValue", "a b&c=d+e%#?/").toString())
        .isEqualTo("?prevValue=a%20b%26c%3Dd%2Be%25%23%3F%2F");
  }

  @Test
  void unicodeValuesAreEncodedAsUtf8() {
    assertThat(Query.of().add("prevValue", "é").toString()).isEqualTo("?prevValue=%C3%A9");
  }
}
