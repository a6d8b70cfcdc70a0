package dev.valkeyrie.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RevisionsTest {
  @Test
  void consecutiveRevisionsMakeOneRangeAndTheTextRoundTrips() {
    Revisions revisions = new Revisions();
    for (long r : new long[] {5, 6, 7, 10, 12, 13}) {
      revisions.add(r);
    }
    assertThat(revisions.toString()).isEqualTo("5-7,10,12-13");
    Revisions parsed = Revisions.parse(revisions.toString());
    assertThat(parsed.toString()).isEqualTo("5-7,10,12-13");
    assertThat(parsed.contains(6)).isTrue();
    assertThat(parsed.contains(10)).isTrue();
    assertThat(parsed.contains(11)).isFalse();
    assertThat(parsed.contains(4)).isFalse();
    assertThat(parsed.contains(14)).isFalse();
  }

  @Test
  void lockSideKeysAreToldFromKeysThatOnlyContainTheSuffix() {
    assertThat(SourceTree.isLockSideKey("jobs/nightly___lock")).isTrue();
    assertThat(SourceTree.isLockSideKey("jobs/nightly___lock/694d7c2e")).isTrue();
    assertThat(SourceTree.isLockSideKey("jobs/a___locked")).isFalse();
    assertThat(SourceTree.isLockSideKey("jobs/plain")).isFalse();
  }
}
